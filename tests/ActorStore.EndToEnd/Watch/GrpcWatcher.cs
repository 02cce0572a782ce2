using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// One watch over its own gRPC Watch stream, recording every response as it comes. It can be stopped (the stream is
/// cancelled, as when a client goes away) and yields the recorded <see cref="WatchSegment"/>.
/// </summary>
public sealed class GrpcWatcher : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly List<WatchResponse> _responses = [];
    private Task _reading = Task.CompletedTask;
    private long _lastEventRevision;

    private GrpcWatcher(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, WatchSpec spec)
    {
        _call = call;
        Spec = spec;
    }

    public WatchSpec Spec { get; }

    /// <summary>The first revision this watch covers: the one asked for, or the one after the creation revision.</summary>
    public long StartRevision { get; private set; }

    public WatchResponse Created { get; private set; } = null!;

    public long LastEventRevision => Interlocked.Read(ref _lastEventRevision);

    /// <summary>Why the stream ended, if it ended on its own (a killed server, a cancellation by the server).</summary>
    public Exception? Failure { get; private set; }

    public IReadOnlyList<WatchResponse> Responses
    {
        get
        {
            lock (_responses)
            {
                return _responses.ToArray();
            }
        }
    }

    /// <summary>Opens the stream, asks for the watch and waits for its created response.</summary>
    public static async Task<GrpcWatcher> StartAsync(GrpcChannel channel, WatchSpec spec, long startRevision, TimeSpan? timeout = null)
    {
        var call = new Etcdserverpb.Watch.WatchClient(channel).Watch();
        var watcher = new GrpcWatcher(call, spec);
        try
        {
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = spec.ToCreateRequest(startRevision) });
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            if (!await call.ResponseStream.MoveNext(cts.Token))
            {
                throw new InvalidOperationException($"watch {spec} ended before its created response");
            }
            var created = call.ResponseStream.Current;
            if (!created.Created)
            {
                throw new InvalidOperationException($"watch {spec}: the first response is not a created one: {created}");
            }
            watcher.Created = created;
            watcher.StartRevision = startRevision > 0 ? startRevision : created.Header.Revision + 1;
            // A watch refused at creation (a compacted start) comes back created and canceled at once.
            watcher.Record(created);
            watcher._reading = watcher.ReadAsync();
            return watcher;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    /// <summary>Waits until an event at or past <paramref name="revision"/> came; false at the deadline or when the stream ended.</summary>
    public async Task<bool> WaitForRevisionAsync(long revision, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (LastEventRevision < revision)
        {
            if (_reading.IsCompleted || DateTime.UtcNow > deadline)
            {
                return LastEventRevision >= revision;
            }
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>Cancels the stream (if it still runs) and returns what it received.</summary>
    public async Task<WatchSegment> StopAsync()
    {
        _call.Dispose();
        await _reading;
        return new WatchSegment(StartRevision, Responses);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext())
            {
                Record(_call.ResponseStream.Current);
            }
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            Failure = e;
        }
    }

    private void Record(WatchResponse response)
    {
        lock (_responses)
        {
            _responses.Add(response);
        }
        if (response.Events.Count > 0)
        {
            Interlocked.Exchange(ref _lastEventRevision, Math.Max(LastEventRevision, response.Events.Max(e => e.Kv.ModRevision)));
        }
    }
}
