using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>What every watcher of a member shares: where history is read, how headers look, and its bounds.</summary>
internal sealed record WatchSettings(IActorRef Apply, Func<long, ResponseHeader> Header)
{
    /// <summary>Revisions read from history per query, so a catching-up watcher never holds writes back for long.</summary>
    public int HistoryChunkRevisions { get; init; } = 256;

    /// <summary>Live change sets a watcher keeps while it cannot deliver; beyond this it drops them and reads history later.</summary>
    public int MaxBufferedChanges { get; init; } = 256;

    /// <summary>A response at least this large is split into fragments, for watchers that asked for fragments.</summary>
    public long MaxResponseBytes { get; init; } = 1536 * 1024 + GrpcOverheadBytes;

    /// <summary>Zero turns periodic progress notifications off.</summary>
    public TimeSpan ProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>etcd's allowance for the gRPC framing on top of --max-request-bytes.</summary>
    public const long GrpcOverheadBytes = 512 * 1024;

    /// <summary>etcd refuses shorter progress intervals and uses this one instead.</summary>
    public static readonly TimeSpan MinProgressNotifyInterval = TimeSpan.FromMilliseconds(100);
}
