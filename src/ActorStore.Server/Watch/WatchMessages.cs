using Etcdserverpb;
using Mvccpb;

namespace ActorStore.Server.Watch;

/// <summary>Tells the hub how to read history and build headers; sent once, before any watcher is created.</summary>
internal sealed record WatchHubSetup(WatchSettings Settings);

/// <summary>A validated create request of a stream: the hub answers "created" and starts the watcher.</summary>
internal sealed record CreateWatcher(WatchOutbox Outbox, WatcherSpec Spec);

/// <summary>A create request the stream refused (duplicate id, empty range): the hub answers created and canceled.</summary>
internal sealed record RefuseWatcher(WatchOutbox Outbox, string Reason);

/// <summary>The client canceled one of its watchers, or the server did for <paramref name="Reason"/> (not empty then).</summary>
internal sealed record CancelWatcher(WatchOutbox Outbox, long WatchId, string Reason = "");

/// <summary>The client asked for the store's progress (WatchProgressRequest).</summary>
internal sealed record StreamProgressRequested(WatchOutbox Outbox);

/// <summary>The stream ended: every watcher of it stops.</summary>
internal sealed record CloseWatchStream(WatchOutbox Outbox);

/// <summary>
/// The changes of one revision that fall in a watcher's range, with or without previous key-values as it asked.
/// Shared by every watcher it goes to: read-only.
/// </summary>
internal sealed record LiveChanges(long Revision, ResponseHeader Header, IReadOnlyList<Event> Events);

/// <summary>The keyspace was replaced: live change sets follow <paramref name="Revision"/>, anything before comes from history.</summary>
internal sealed record ResyncFrom(long Revision);

/// <summary>Hub to watcher: you are canceled (for <paramref name="Reason"/> when the server did it); answer with this header revision and stop.</summary>
internal sealed record CancelRequested(long HeaderRevision, string Reason = "");

/// <summary>Watcher to hub: which revision have you forwarded up to?</summary>
internal sealed record ProgressProbe
{
    public static readonly ProgressProbe Instance = new();
}

/// <summary>Hub to watcher: every change set up to <paramref name="Revision"/> has been forwarded to you.</summary>
internal sealed record HubProgress(long Revision);

/// <summary>The watcher's timer for progress notifications.</summary>
internal sealed record ProgressTick
{
    public static readonly ProgressTick Instance = new();
}

/// <summary>The stream's outgoing queue has room again.</summary>
internal sealed record OutboxHasRoom
{
    public static readonly OutboxHasRoom Instance = new();
}

/// <summary>A history read came back; stale when the watcher resynced meanwhile (another generation).</summary>
internal sealed record HistoryRead(int Generation, long To, WatchResponse Result);

/// <summary>A history read failed (the apply actor stopped).</summary>
internal sealed record HistoryReadFailed(int Generation, Exception Cause);
