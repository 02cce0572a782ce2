using ActorStore.Actors;

namespace ActorStore.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: hands every message (with its sender) to the probe's queue.</summary>
internal sealed class ProbeActor(TestProbe probe) : ActorBase
{
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case ProbeWatch watch:
                Context.Watch(watch.Target);
                break;
            case ProbeUnwatch unwatch:
                Context.Unwatch(unwatch.Target);
                break;
            default:
                probe.Enqueue(message, Sender);
                break;
        }
        return true;
    }
}

internal sealed record ProbeWatch(IActorRef Target);

internal sealed record ProbeUnwatch(IActorRef Target);
