namespace ActorStore.Actors;

/// <summary>The user guardian (/user): parent of top-level actors. Messages sent to it are dead letters.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
