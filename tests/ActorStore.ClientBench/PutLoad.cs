using System.Diagnostics;
using ActorStore.Client;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.ClientBench;

/// <summary>A closed loop: each of the requesters keeps one put in flight for the duration.</summary>
public static class PutLoad
{
    public static async Task<string> RunAsync(ActorStoreClient? actors, KV.KVClient grpc, int requesters, TimeSpan duration)
    {
        var value = ByteString.CopyFrom(new byte[256]);
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        var end = duration;
        async Task RequesterAsync(int requester)
        {
            var key = ByteString.CopyFromUtf8($"bench/{requester:D4}");
            while (clock.Elapsed < end)
            {
                var request = new PutRequest { Key = key, Value = value };
                var started = clock.Elapsed;
                if (actors is not null)
                {
                    await actors.PutAsync(request).ConfigureAwait(false);
                }
                else
                {
                    await grpc.PutAsync(request).ResponseAsync.ConfigureAwait(false);
                }
                latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, requesters).Select(i => Task.Run(() => RequesterAsync(i)))).ConfigureAwait(false);
        return latencies.Summary(clock.Elapsed);
    }
}
