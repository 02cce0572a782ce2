using System.Diagnostics;
using System.Threading.Channels;
using ActorStore.Client;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace ActorStore.ClientBench;

/// <summary>
/// One putter at a fixed rate (gRPC, the same for both ways), one watcher on the key (actor messages or a gRPC Watch
/// stream): the time from just before each put is sent until its event reaches the watcher.
/// </summary>
public static class WatchLatency
{
    private const string Key = "bench/watch";

    public static async Task<string> RunAsync(ActorStoreClient? actors, ActorSystem? system, GrpcChannel channel, KV.KVClient kv, int puts, int rate)
    {
        var clock = Stopwatch.StartNew();
        var arrivals = Channel.CreateUnbounded<(long Tick, TimeSpan At)>();
        using var stop = new CancellationTokenSource();
        var create = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(Key) };
        Task watching;
        if (actors is not null)
        {
            var subscriber = system!.ActorOf(Props.Create(() => new LatencySubscriber(arrivals.Writer, clock)));
            await actors.WatchAsync(create, subscriber, credits: 256).ConfigureAwait(false);
            watching = Task.CompletedTask;
        }
        else
        {
            var call = new Etcdserverpb.Watch.WatchClient(channel).Watch(cancellationToken: stop.Token);
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }).ConfigureAwait(false);
            watching = Task.Run(async () =>
            {
                try
                {
                    while (await call.ResponseStream.MoveNext(stop.Token).ConfigureAwait(false))
                    {
                        foreach (var e in call.ResponseStream.Current.Events)
                        {
                            arrivals.Writer.TryWrite((long.Parse(e.Kv.Value.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), clock.Elapsed));
                        }
                    }
                }
                catch (Grpc.Core.RpcException) when (stop.IsCancellationRequested)
                {
                }
            });
        }

        // Let the watch settle, then put at the rate; each value is its send time in stopwatch ticks.
        await Task.Delay(500).ConfigureAwait(false);
        var sentAt = new Dictionary<long, TimeSpan>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var started = clock.Elapsed;
        for (var i = 0; i < puts; i++)
        {
            var due = started + interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed).ConfigureAwait(false);
            }
            var tick = clock.ElapsedTicks;
            sentAt[tick] = clock.Elapsed;
            _ = kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(Key), Value = ByteString.CopyFromUtf8(tick.ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        }
        var latencies = new Latencies();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (latencies.Count < puts)
        {
            var (tick, at) = await arrivals.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (sentAt.TryGetValue(tick, out var sent))
            {
                latencies.Add((at - sent).TotalMilliseconds);
            }
        }
        await stop.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        return latencies.Summary(clock.Elapsed - started);
    }

    /// <summary>Notes when each event arrives and acknowledges it at once.</summary>
    private sealed class LatencySubscriber : ReceiveActor
    {
        public LatencySubscriber(ChannelWriter<(long, TimeSpan)> arrivals, Stopwatch clock)
        {
            Receive<WatchUpdate>(update =>
            {
                var at = clock.Elapsed;
                foreach (var e in update.Response.Events)
                {
                    arrivals.TryWrite((long.Parse(e.Kv.Value.ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), at));
                }
                update.Watch.Tell(new WatchAck(1));
            });
        }
    }
}
