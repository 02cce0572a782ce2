namespace ActorStore.Actors.Tests.Remoting;

/// <summary>Replies with whatever it got, to whoever sent it.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message, Self));
}
