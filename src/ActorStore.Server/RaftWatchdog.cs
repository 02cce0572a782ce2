using Akka.Actor;

namespace ActorStore.Server;

/// <summary>
/// Death-watches the Raft actor: a member whose Raft actor stopped (it failed to start on a damaged log, say) can
/// neither write nor read linearizably, so the program is told to stop rather than serve half a member.
/// </summary>
public sealed class RaftWatchdog : ReceiveActor
{
    private readonly IActorRef _raft;

    public RaftWatchdog(IActorRef raft, TaskCompletionSource stopped)
    {
        _raft = raft;
        Receive<Terminated>(_ => stopped.TrySetResult());
    }

    protected override void PreStart() => Context.Watch(_raft);
}
