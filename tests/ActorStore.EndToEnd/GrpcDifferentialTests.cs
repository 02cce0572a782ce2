using ActorStore.Client.Grpc;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Protocol;
using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>
/// The same KV requests over gRPC to ActorStore and to real etcd 3.4.23: responses must be equal field for field
/// (cluster id, member id and raft term aside), errors equal in code and message. Covers what etcdctl cannot ask:
/// revision filters, sort corners, nested txns, compares over ranges, HashKV values.
/// </summary>
[Collection("differential")]
public sealed class GrpcDifferentialTests : IClassFixture<PairFixture>, IDisposable
{
    private readonly GrpcConnection _etcd;
    private readonly GrpcConnection _ours;

    public GrpcDifferentialTests(PairFixture pair)
    {
        _etcd = new GrpcConnection(new Uri(pair.Etcd.ClientUrl));
        _ours = new GrpcConnection(new Uri(pair.ActorStore.ClientUrl));
    }

    public void Dispose()
    {
        _etcd.Dispose();
        _ours.Dispose();
    }

    [Fact]
    public async Task Ranges_with_filters_sorting_and_history()
    {
        foreach (var (key, value) in new[] { ("g/a", "3"), ("g/b", "1"), ("g/c", "2"), ("g/a", "4"), ("g/d", "0"), ("g/b", "5") })
        {
            await Same<PutRequest, PutResponse>("/etcdserverpb.KV/Put", new PutRequest { Key = B(key), Value = B(value) }, PutResponse.Parser);
        }
        var current = (await Same<RangeRequest, RangeResponse>("/etcdserverpb.KV/Range", new RangeRequest { Key = B("g/a") }, RangeResponse.Parser)).Header.Revision;
        var ranges = new List<RangeRequest>
        {
            new() { Key = B("g/"), RangeEnd = B("g0") },
            new() { Key = B("g/b"), RangeEnd = B("\0") },
            new() { Key = B("\0"), RangeEnd = B("\0"), KeysOnly = true },
            new() { Key = B("g/"), RangeEnd = B("g0"), Limit = 2 },
            new() { Key = B("g/"), RangeEnd = B("g0"), Limit = 2, SortOrder = RangeRequest.Types.SortOrder.Descend },
            new() { Key = B("g/"), RangeEnd = B("g0"), SortTarget = RangeRequest.Types.SortTarget.Value },
            new() { Key = B("g/"), RangeEnd = B("g0"), SortTarget = RangeRequest.Types.SortTarget.Version, Limit = 3 },
            new() { Key = B("g/"), RangeEnd = B("g0"), SortTarget = RangeRequest.Types.SortTarget.Mod, SortOrder = RangeRequest.Types.SortOrder.Descend },
            new() { Key = B("g/"), RangeEnd = B("g0"), SortTarget = RangeRequest.Types.SortTarget.Create, SortOrder = RangeRequest.Types.SortOrder.Ascend },
            new() { Key = B("g/"), RangeEnd = B("g0"), CountOnly = true },
            new() { Key = B("g/"), RangeEnd = B("g0"), MinModRevision = current - 2 },
            new() { Key = B("g/"), RangeEnd = B("g0"), MaxModRevision = current - 3 },
            new() { Key = B("g/"), RangeEnd = B("g0"), MinCreateRevision = current - 2 },
            new() { Key = B("g/"), RangeEnd = B("g0"), MaxCreateRevision = current - 3, Limit = 1 },
            new() { Key = B("g/"), RangeEnd = B("g0"), Revision = current - 2 },
            new() { Key = B("g/"), RangeEnd = B("g0"), Revision = current + 5 },
            new() { Key = B("g/"), RangeEnd = B("g0"), Serializable = true, Limit = 1, KeysOnly = true },
            new() { Key = B("g/z"), RangeEnd = B("g/a") },
            new() { Key = ByteString.Empty },
        };
        foreach (var range in ranges)
        {
            await Same<RangeRequest, RangeResponse>("/etcdserverpb.KV/Range", range, RangeResponse.Parser);
        }
    }

    [Fact]
    public async Task Txns_nested_with_range_compares_and_errors()
    {
        await Same<PutRequest, PutResponse>("/etcdserverpb.KV/Put", new PutRequest { Key = B("t/x"), Value = B("1") }, PutResponse.Parser);
        await Same<PutRequest, PutResponse>("/etcdserverpb.KV/Put", new PutRequest { Key = B("t/y"), Value = B("2") }, PutResponse.Parser);
        var nested = new TxnRequest
        {
            Compare = { new Compare { Key = B("t/"), RangeEnd = B("t0"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 0 } },
            Success =
            {
                new RequestOp { RequestPut = new PutRequest { Key = B("t/z"), Value = B("3"), PrevKv = true } },
                new RequestOp
                {
                    RequestTxn = new TxnRequest
                    {
                        Compare = { new Compare { Key = B("t/x"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B("1") } },
                        Success = { new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("t/y"), PrevKv = true } } },
                        Failure = { new RequestOp { RequestRange = new RangeRequest { Key = B("t/y") } } },
                    },
                },
                new RequestOp { RequestRange = new RangeRequest { Key = B("t/"), RangeEnd = B("t0") } },
            },
        };
        await Same<TxnRequest, TxnResponse>("/etcdserverpb.KV/Txn", nested, TxnResponse.Parser);
        var compares = new[]
        {
            new Compare { Key = B("t/"), RangeEnd = B("t0"), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Less, CreateRevision = 100 },
            new Compare { Key = B("t/"), RangeEnd = B("t0"), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.NotEqual, ModRevision = 2 },
            new Compare { Key = B("t/missing"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = B("") },
            new Compare { Key = B("t/missing"), Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Equal, Version = 0 },
            new Compare { Key = B("t/x"), Target = Compare.Types.CompareTarget.Lease, Result = Compare.Types.CompareResult.Equal, Lease = 0 },
            new Compare { Key = B("t/x"), RangeEnd = B("\0"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Greater, Value = B("0") },
        };
        foreach (var compare in compares)
        {
            await Same<TxnRequest, TxnResponse>("/etcdserverpb.KV/Txn", new TxnRequest
            {
                Compare = { compare },
                Success = { new RequestOp { RequestRange = new RangeRequest { Key = B("t/x") } } },
                Failure = { new RequestOp { RequestPut = new PutRequest { Key = B("t/failed"), Value = B(compare.Target.ToString()) } } },
            }, TxnResponse.Parser);
        }
        var failing = new[]
        {
            new TxnRequest { Success = { Put("t/d", "1"), Put("t/d", "2") } },
            new TxnRequest { Success = { Put("t/e", "1"), new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = B("t/"), RangeEnd = B("t0") } } } },
            new TxnRequest { Success = { new RequestOp { RequestPut = new PutRequest { Key = B("t/l"), Value = B("v"), Lease = 77 } } } },
            new TxnRequest { Success = { new RequestOp { RequestPut = new PutRequest { Key = B("t/x"), IgnoreValue = true } }, new RequestOp { RequestPut = new PutRequest { Key = B("t/new"), IgnoreValue = true } } } },
            new TxnRequest { Success = { new RequestOp { RequestRange = new RangeRequest { Key = B("t/x"), Revision = 100_000 } } } },
        };
        foreach (var txn in failing)
        {
            await Same<TxnRequest, TxnResponse>("/etcdserverpb.KV/Txn", txn, TxnResponse.Parser);
        }
        await Same<RangeRequest, RangeResponse>("/etcdserverpb.KV/Range", new RangeRequest { Key = B("t/"), RangeEnd = B("t0") }, RangeResponse.Parser);
    }

    [Fact]
    public async Task Hash_kv_values_and_compaction_match_etcd()
    {
        for (var i = 0; i < 6; i++)
        {
            await Same<PutRequest, PutResponse>("/etcdserverpb.KV/Put", new PutRequest { Key = B("h/" + (i % 3)), Value = B("v" + i) }, PutResponse.Parser);
        }
        await Same<DeleteRangeRequest, DeleteRangeResponse>("/etcdserverpb.KV/DeleteRange", new DeleteRangeRequest { Key = B("h/1"), PrevKv = true }, DeleteRangeResponse.Parser);
        var current = (await Same<HashKVRequest, HashKVResponse>("/etcdserverpb.Maintenance/HashKV", new HashKVRequest(), HashKVResponse.Parser)).Header.Revision;
        for (var revision = current - 4; revision <= current; revision++)
        {
            await Same<HashKVRequest, HashKVResponse>("/etcdserverpb.Maintenance/HashKV", new HashKVRequest { Revision = revision }, HashKVResponse.Parser);
        }
        await Same<HashKVRequest, HashKVResponse>("/etcdserverpb.Maintenance/HashKV", new HashKVRequest { Revision = current + 10 }, HashKVResponse.Parser);
    }

    private static RequestOp Put(string key, string value) => new() { RequestPut = new PutRequest { Key = B(key), Value = B(value) } };

    private static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>Sends to etcd first, then to ActorStore; asserts equal answers and returns ActorStore's.</summary>
    private async Task<TResponse> Same<TRequest, TResponse>(string method, TRequest request, MessageParser<TResponse> parser)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var expected = await CallAsync(_etcd, method, request, parser);
        var actual = await CallAsync(_ours, method, request, parser);
        Assert.Equal(expected.Error, actual.Error);
        if (expected.Response is null || actual.Response is null)
        {
            Assert.Equal(expected.Response is null, actual.Response is null);
            return actual.Response!;
        }
        Assert.Equal(WithoutIds(expected.Response).ToString(), WithoutIds(actual.Response).ToString());
        return actual.Response;
    }

    private static async Task<(TResponse? Response, string? Error)> CallAsync<TRequest, TResponse>(
        GrpcConnection connection, string method, TRequest request, MessageParser<TResponse> parser)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        try
        {
            return (await connection.UnaryAsync(method, request, parser), null);
        }
        catch (RpcException e)
        {
            return (null, $"{e.Status}: {e.Message}");
        }
    }

    private static TResponse WithoutIds<TResponse>(TResponse response) where TResponse : class, IMessage<TResponse>
    {
        var copy = response.Clone();
        if (copy is IResponseWithHeader { Header: { } header })
        {
            header.ClusterId = 0;
            header.MemberId = 0;
            header.RaftTerm = 0;
        }
        return copy;
    }
}
