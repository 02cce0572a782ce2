using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using static ActorStore.EndToEnd.Watch.WriteHistory;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// Concurrent writers on a few overlapping keys under one prefix: puts, single deletes, range deletes and txns that
/// change two keys at one revision. Writer i writes through channel i (mod their count). Failed calls are counted
/// and not retried: the ground truth is read back from the store, not taken from the writers.
/// </summary>
public sealed class WatchWorkload
{
    public const int KeyCount = 8;

    private readonly IReadOnlyList<GrpcChannel> _channels;
    private readonly string _prefix;
    private int _failures;
    private int _successes;

    public WatchWorkload(IReadOnlyList<GrpcChannel> channels, string prefix)
    {
        _channels = channels;
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
        var kv = new KV.KVClient(_channels[writer % _channels.Count]);
        for (var op = 0; op < ops; op++)
        {
            var value = $"w{writer}-{op}";
            var a = random.Next(KeyCount);
            var b = (a + 1 + random.Next(KeyCount - 1)) % KeyCount;
            var deadline = DateTime.UtcNow.AddSeconds(5);
            try
            {
                switch (random.Next(10))
                {
                    case < 5:
                        await kv.PutAsync(new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value) }, deadline: deadline);
                        break;
                    case 5:
                        await kv.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes(Key(a)) }, deadline: deadline);
                        break;
                    case 6:
                        await kv.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes(Key(2)), RangeEnd = Bytes(Key(5)) }, deadline: deadline);
                        break;
                    case < 9:
                        await kv.TxnAsync(new TxnRequest
                        {
                            Success =
                            {
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value + "a") } },
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(b)), Value = Bytes(value + "b") } },
                            },
                        }, deadline: deadline);
                        break;
                    default:
                        await kv.TxnAsync(new TxnRequest
                        {
                            Success =
                            {
                                new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = Bytes(Key(b)) } },
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes(Key(a)), Value = Bytes(value + "t") } },
                            },
                        }, deadline: deadline);
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
