using ActorStore.Client.Wire;
using Akka.Actor;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Tests.Client;

public sealed class ClientMessageSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly IMessage[] AllMessages =
    [
        new SessionHello { ClientName = "svc" },
        new SessionChallenge { Nonce = ByteString.CopyFromUtf8("nonce"), ClusterId = 7, MemberId = 9 },
        new OpenSession { Nonce = ByteString.CopyFromUtf8("n"), ClientName = "svc", Password = new PasswordCredentials { Name = "root", Password = "pw" } },
        new OpenSession { Nonce = ByteString.CopyFromUtf8("n"), Certificate = new CertificateProof { Chain = { ByteString.CopyFromUtf8("der") }, Signature = ByteString.CopyFromUtf8("sig") } },
        new SessionOpened { ClusterId = 1, MemberId = 2, User = "root", LeaderId = 3 },
        new SessionRefused { Error = new ClientError { Code = 16, Message = "etcdserver: invalid auth token" } },
        new CloseSession(),
        new ClientRequest { Id = 5, TimeoutMs = 100, Put = new PutRequest { Key = ByteString.CopyFromUtf8("k"), Value = ByteString.CopyFromUtf8("v") } },
        new ClientResponse { Id = 5, Range = new RangeResponse { Count = 1 } },
        new ClientResponse { Id = 6, Error = new ClientError { Code = 14, Message = "etcdserver: no leader" } },
        new ClientResponsePart { Id = 7, Data = ByteString.CopyFromUtf8("part"), Last = true },
        new WatchOpen { WatchId = 1, Create = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("a"), StartRevision = 4 }, Credits = 64 },
        new WatchBatch { WatchId = 1, Response = new WatchResponse { Created = true, Header = new ResponseHeader { Revision = 3 } } },
        new WatchCredit { WatchId = 1, Credits = 8 },
        new WatchClose { WatchId = 1 },
    ];

    public static TheoryData<IMessage> Messages() => new(AllMessages);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_client_message_survives_the_wire(IMessage message)
    {
        var serializer = new ClientMessageSerializer((ExtendedActorSystem)Sys);

        var copy = serializer.FromBinary(serializer.ToBinary(message), serializer.Manifest(message));

        Assert.Equal(message, copy);
    }

    [Fact]
    public void The_hocon_binds_every_client_message_to_the_serializer()
    {
        var system = ActorSystem.Create("bindings", ClientMessageSerializer.Hocon);
        try
        {
            foreach (var message in AllMessages)
            {
                Assert.IsType<ClientMessageSerializer>(system.Serialization.FindSerializerFor(message));
            }
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }
}
