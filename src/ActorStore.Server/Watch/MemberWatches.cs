using ActorStore.Actors;
using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>Placeholder: the watch work replaces this file.</summary>
public sealed class MemberWatches : IWatchSource
{
    public MemberWatches(ActorSystem system, IActorRef hub, IActorRef apply, Func<long, ResponseHeader> header, MemberOptions options)
    {
        _ = (system, hub, apply, header, options);
    }

    public IAsyncEnumerable<WatchResponse> WatchAsync(WatchCreateRequest request, CancellationToken ct) =>
        throw new NotSupportedException("watches are being built");
}
