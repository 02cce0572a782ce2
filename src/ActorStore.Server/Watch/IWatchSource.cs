using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// Watches on one member for code inside the process (lock waits, election observers): the same watcher actors the
/// gRPC Watch stream uses, one per call.
/// </summary>
public interface IWatchSource
{
    /// <summary>
    /// The responses of one watcher, in order, starting with its created response; ends when the watcher is canceled
    /// (for example by compaction) or <paramref name="ct"/> is canceled.
    /// </summary>
    IAsyncEnumerable<WatchResponse> WatchAsync(WatchCreateRequest request, CancellationToken ct);
}
