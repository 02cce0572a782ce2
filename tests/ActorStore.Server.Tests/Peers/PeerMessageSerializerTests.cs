using ActorStore.Server.Peers;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Peerpb;
using Raftpb;
using Xunit;

namespace ActorStore.Server.Tests.Peers;

/// <summary>
/// The akka section of reference.conf binds every peer message to the project's serializer (over Akka.Remote's own
/// binding of every protobuf message), which round-trips them.
/// </summary>
public sealed class PeerMessageSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public PeerMessageSerializerTests()
        : base(new PeerTransportSettings { ListenHost = "127.0.0.1", ListenPort = 0, AdvertisedHost = "127.0.0.1", AdvertisedPort = 0 }
            .ToConfig().WithFallback(MemberAkkaConfig.Reference()))
    {
    }

    public static TheoryData<IMessage> PeerMessages() =>
    [
        new PeerEnvelope { ClusterId = 1, MemberId = 2, Raft = new Message { Type = MessageType.MsgApp, Entries = { new Entry { Index = 3, Data = ByteString.CopyFromUtf8("x") } } } },
        new PeerRefusal { ClusterId = 1, MemberId = 2, Reason = "cluster ID mismatch" },
        new Message { Type = MessageType.MsgVote, Term = 5 },
        new MemberListRequest(),
        new MemberListResponse { Members = { new Member { ID = 9, Name = "n" } } },
        new RenewLease { Id = 7 },
        new QueryTimeToLive { Id = 7, Keys = true },
        new LessorAnswer { Outcome = LessorAnswer.Types.Outcome.NotPrimary, Id = 7 },
    ];

    [Theory]
    [MemberData(nameof(PeerMessages))]
    public void Each_peer_message_uses_the_peer_serializer_and_round_trips(IMessage message)
    {
        var serialization = ((ExtendedActorSystem)Sys).Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<PeerMessageSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.Equal(message, serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest));
    }
}
