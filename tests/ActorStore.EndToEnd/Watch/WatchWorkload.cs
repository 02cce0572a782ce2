using ActorStore.Client.Grpc;
using ActorStore.Protocol.Errors;
using Etcdserverpb;
using static ActorStore.EndToEnd.Watch.WriteHistory;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// Concurrent writers on a few overlapping keys under one prefix: puts, single deletes, range deletes and txns that
/// change two keys at one revision. Writer i writes through connection i (mod their count). Failed calls are counted
/// and not retried: the ground truth is read back from the store, not taken from the writers.
/// </summary>
public sealed class WatchWorkload
{
    public const int KeyCount = 8;

    private readonly IReadOnlyList<GrpcConnection> _connections;
    private readonly string _prefix;
    private int _failures;
    private int _successes;

    public WatchWorkload(IReadOnlyList<GrpcConnection> connections, string prefix)
    {
        _connections = connections;
        _prefix = prefix;
    }

    public int Failures => Volatile.Read(ref _failures);
    public int Successes => Volatile.Read(ref _successes);

    public string Key(int index) => $"{_prefix}k{index}";

    public Task RunAsync(int writers, int opsPerWriter, int seed) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(() => WriteAsync(writer, opsPerWriter, seed + writer))));

    private async Task WriteAsync(int writer, int ops, int seed)
    {
        var random = new Random(seed);
        var connection = _connections[writer % _connections.Count];
        for (var op = 0; op < ops; op++)
        {
            var value = $"w{writer}-{op}";
            var a = random.Next(KeyCount);
            var b = (a + 1 + random.Next(KeyCount - 1)) % KeyCount;
            var options = new CallOptions { Deadline = DateTime.UtcNow.AddSeconds(5) };
            try
            {
                switch (random.Next(10))
                {
                    case < 5:
                        await connection.UnaryAsync("/etcdserverpb.KV/Put", new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value) }, PutResponse.Parser, options);
                        break;
                    case 5:
                        await connection.UnaryAsync("/etcdserverpb.KV/DeleteRange", new DeleteRangeRequest { Key = Bytes(Key(a)) }, DeleteRangeResponse.Parser, options);
                        break;
                    case 6:
                        await connection.UnaryAsync("/etcdserverpb.KV/DeleteRange", new DeleteRangeRequest { Key = Bytes(Key(2)), RangeEnd = Bytes(Key(5)) }, DeleteRangeResponse.Parser, options);
                        break;
                    case < 9:
                        await connection.UnaryAsync("/etcdserverpb.KV/Txn", new TxnRequest
                        {
                            Success =
                            {
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value + "a") } },
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(b)), Value = Bytes(value + "b") } },
                            },
                        }, TxnResponse.Parser, options);
                        break;
                    default:
                        await connection.UnaryAsync("/etcdserverpb.KV/Txn", new TxnRequest
                        {
                            Success =
                            {
                                new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes(Key(b)) } },
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value + "t") } },
                            },
                        }, TxnResponse.Parser, options);
                        break;
                }
                Interlocked.Increment(ref _successes);
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or HttpRequestException)
            {
                Interlocked.Increment(ref _failures);
            }
        }
    }
}
