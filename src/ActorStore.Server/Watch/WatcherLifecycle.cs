namespace ActorStore.Server.Watch;

/// <summary>
/// Decides, between a watcher that ends by itself (compaction) and the hub canceling it for the client, who answers
/// the client's cancel: whoever comes second sees the other's mark.
/// </summary>
internal sealed class WatcherLifecycle
{
    private const int Running = 0;
    private const int Canceling = 1;
    private const int Ended = 2;
    private int _state;

    /// <summary>Hub side: true when the watcher is still running and will answer the cancel itself.</summary>
    public bool TryBeginCancel() => Interlocked.CompareExchange(ref _state, Canceling, Running) == Running;

    /// <summary>Watcher side: true when it may stop now; false when a cancel is on its way that it must answer first.</summary>
    public bool TryEnd() => Interlocked.CompareExchange(ref _state, Ended, Running) == Running;
}
