using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>One queued send: kept as objects until the writer serializes it straight into its batch.</summary>
internal readonly record struct OutboundMessage(RemoteActorRef Recipient, IMessage Message, SerializerEntry Serializer, IActorRef? Sender);
