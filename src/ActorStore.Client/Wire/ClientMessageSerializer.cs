using Akka.Actor;
using Akka.Serialization;
using Clientpb;
using Google.Protobuf;

namespace ActorStore.Client.Wire;

/// <summary>
/// Akka serializer for the messages between ActorStore.Client and a member's client entry (clientpb, bound to each
/// type on both sides: <see cref="Hocon"/>). A short manifest names the type; the bytes are its protobuf encoding.
/// </summary>
public sealed class ClientMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's id on the wire (the member's peer serializer is 4380).</summary>
    public const int SerializerId = 4381;

    /// <summary>The serializer and its bindings, for the member's and the client's actor systems.</summary>
    public const string Hocon = """
        akka.actor.serializers.actorstore-client = "ActorStore.Client.Wire.ClientMessageSerializer, ActorStore.Client"
        akka.actor.serialization-bindings {
          "Clientpb.SessionHello, ActorStore.Protocol" = actorstore-client
          "Clientpb.SessionChallenge, ActorStore.Protocol" = actorstore-client
          "Clientpb.OpenSession, ActorStore.Protocol" = actorstore-client
          "Clientpb.SessionOpened, ActorStore.Protocol" = actorstore-client
          "Clientpb.SessionRefused, ActorStore.Protocol" = actorstore-client
          "Clientpb.CloseSession, ActorStore.Protocol" = actorstore-client
          "Clientpb.ClientRequest, ActorStore.Protocol" = actorstore-client
          "Clientpb.ClientResponse, ActorStore.Protocol" = actorstore-client
          "Clientpb.ClientResponsePart, ActorStore.Protocol" = actorstore-client
          "Clientpb.WatchOpen, ActorStore.Protocol" = actorstore-client
          "Clientpb.WatchBatch, ActorStore.Protocol" = actorstore-client
          "Clientpb.WatchCredit, ActorStore.Protocol" = actorstore-client
          "Clientpb.WatchClose, ActorStore.Protocol" = actorstore-client
        }
        """;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        ClientRequest => "Q",
        ClientResponse => "A",
        ClientResponsePart => "AP",
        WatchBatch => "WB",
        WatchCredit => "WC",
        WatchOpen => "WO",
        WatchClose => "WX",
        SessionHello => "SH",
        SessionChallenge => "SC",
        OpenSession => "SO",
        SessionOpened => "SA",
        SessionRefused => "SR",
        CloseSession => "SX",
        _ => throw new ArgumentException($"{o.GetType()} is not an ActorStore client message", nameof(o)),
    };

    public override byte[] ToBinary(object obj) =>
        obj is IMessage message ? message.ToByteArray() : throw new ArgumentException($"{obj.GetType()} is not a protobuf message", nameof(obj));

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        "Q" => ClientRequest.Parser.ParseFrom(bytes),
        "A" => ClientResponse.Parser.ParseFrom(bytes),
        "AP" => ClientResponsePart.Parser.ParseFrom(bytes),
        "WB" => WatchBatch.Parser.ParseFrom(bytes),
        "WC" => WatchCredit.Parser.ParseFrom(bytes),
        "WO" => WatchOpen.Parser.ParseFrom(bytes),
        "WX" => WatchClose.Parser.ParseFrom(bytes),
        "SH" => SessionHello.Parser.ParseFrom(bytes),
        "SC" => SessionChallenge.Parser.ParseFrom(bytes),
        "SO" => OpenSession.Parser.ParseFrom(bytes),
        "SA" => SessionOpened.Parser.ParseFrom(bytes),
        "SR" => SessionRefused.Parser.ParseFrom(bytes),
        "SX" => CloseSession.Parser.ParseFrom(bytes),
        _ => throw new System.Runtime.Serialization.SerializationException($"unknown ActorStore client message manifest '{manifest}'"),
    };
}
