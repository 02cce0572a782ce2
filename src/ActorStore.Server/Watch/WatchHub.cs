using ActorStore.Actors;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Watch;

/// <summary>Placeholder: the watch work replaces this file.</summary>
public sealed class WatchHub : ReceiveActor
{
    public WatchHub(ILogger log)
    {
        _ = log;
        ReceiveAny(_ => { });
    }
}
