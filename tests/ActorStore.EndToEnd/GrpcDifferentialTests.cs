using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Protocol;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
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
    private readonly GrpcChannel _etcd;
    private readonly GrpcChannel _ours;

    public GrpcDifferentialTests(PairFixture pair)
    {
        _etcd = GrpcChannel.ForAddress(pair.Etcd.ClientUrl);
        _ours = GrpcChannel.ForAddress(pair.ActorStore.ClientUrl);
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
            await Same(channel => new KV.KVClient(channel).PutAsync(new PutRequest { Key = B(key), Value = B(value) }));
        }
        var current = (await Same(channel => new KV.KVClient(channel).RangeAsync(new RangeRequest { Key = B("g/a") }))).Header.Revision;
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
            await Same(channel => new KV.KVClient(channel).RangeAsync(range));
        }
    }

    [Fact]
    public async Task Txns_nested_with_range_compares_and_errors()
    {
        await Same(channel => new KV.KVClient(channel).PutAsync(new PutRequest { Key = B("t/x"), Value = B("1") }));
        await Same(channel => new KV.KVClient(channel).PutAsync(new PutRequest { Key = B("t/y"), Value = B("2") }));
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
        await Same(channel => new KV.KVClient(channel).TxnAsync(nested));
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
            await Same(channel => new KV.KVClient(channel).TxnAsync(new TxnRequest
            {
                Compare = { compare },
                Success = { new RequestOp { RequestRange = new RangeRequest { Key = B("t/x") } } },
                Failure = { new RequestOp { RequestPut = new PutRequest { Key = B("t/failed"), Value = B(compare.Target.ToString()) } } },
            }));
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
            await Same(channel => new KV.KVClient(channel).TxnAsync(txn));
        }
        await Same(channel => new KV.KVClient(channel).RangeAsync(new RangeRequest { Key = B("t/"), RangeEnd = B("t0") }));
    }

    [Fact]
    public async Task Hash_kv_values_and_compaction_match_etcd()
    {
        for (var i = 0; i < 6; i++)
        {
            await Same(channel => new KV.KVClient(channel).PutAsync(new PutRequest { Key = B("h/" + (i % 3)), Value = B("v" + i) }));
        }
        await Same(channel => new KV.KVClient(channel).DeleteRangeAsync(new DeleteRangeRequest { Key = B("h/1"), PrevKv = true }));
        var current = (await Same(channel => new Maintenance.MaintenanceClient(channel).HashKVAsync(new HashKVRequest()))).Header.Revision;
        for (var revision = current - 4; revision <= current; revision++)
        {
            await Same(channel => new Maintenance.MaintenanceClient(channel).HashKVAsync(new HashKVRequest { Revision = revision }));
        }
        await Same(channel => new Maintenance.MaintenanceClient(channel).HashKVAsync(new HashKVRequest { Revision = current + 10 }));
    }

    private static RequestOp Put(string key, string value) => new() { RequestPut = new PutRequest { Key = B(key), Value = B(value) } };

    private static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>Sends to etcd first, then to ActorStore; asserts equal answers and returns ActorStore's.</summary>
    private async Task<TResponse> Same<TResponse>(Func<GrpcChannel, AsyncUnaryCall<TResponse>> call)
        where TResponse : class, IMessage<TResponse>
    {
        var expected = await CallAsync(_etcd, call);
        var actual = await CallAsync(_ours, call);
        Assert.Equal(expected.Error, actual.Error);
        if (expected.Response is null || actual.Response is null)
        {
            Assert.Equal(expected.Response is null, actual.Response is null);
            return actual.Response!;
        }
        Assert.Equal(WithoutIds(expected.Response).ToString(), WithoutIds(actual.Response).ToString());
        return actual.Response;
    }

    private static async Task<(TResponse? Response, string? Error)> CallAsync<TResponse>(
        GrpcChannel channel, Func<GrpcChannel, AsyncUnaryCall<TResponse>> call)
        where TResponse : class, IMessage<TResponse>
    {
        try
        {
            return (await call(channel), null);
        }
        catch (RpcException e)
        {
            return (null, $"{e.StatusCode}: {e.Status.Detail}");
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
