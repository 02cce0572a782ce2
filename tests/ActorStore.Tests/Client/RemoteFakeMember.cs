using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client.Wire;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Tests.Client;

/// <summary>
/// An actor system named as members' are, on a real Akka.Remote port, whose /user/clients follows the client protocol
/// with canned answers: every Range counts 42, every watch sends "created" at revision 7.
/// </summary>
internal sealed class RemoteFakeMember : IAsyncDisposable
{
    private RemoteFakeMember(ActorSystem system, int port)
    {
        System = system;
        Port = port;
    }

    public ActorSystem System { get; }

    public int Port { get; }

    public static RemoteFakeMember Start(int port, X509Certificate2? certificate = null, X509Certificate2? trustedCa = null)
    {
        var config = ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = {port}
            akka.remote.dot-netty.tcp.enable-ssl = {(certificate is null ? "off" : "on")}
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            {ClientMessageSerializer.Hocon}
            """);
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (certificate is not null)
        {
            setup = setup.And(new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
                validateCertificateHostname: false, customValidator: (presented, _, _, _, _) => ChainsTo(presented, trustedCa!)));
        }
        var system = ActorSystem.Create("actorstore", setup);
        system.ActorOf(Props.Create(() => new Entry()), SessionProof.EntryActorName);
        return new RemoteFakeMember(system, port);
    }

    public async ValueTask DisposeAsync() => await System.Terminate();

    private static bool ChainsTo(X509Certificate2? certificate, X509Certificate2 ca)
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private sealed class Entry : ReceiveActor
    {
        public Entry()
        {
            Receive<SessionHello>(_ => Sender.Tell(new SessionChallenge { Nonce = ByteString.CopyFromUtf8("nonce"), MemberId = 1 }));
            Receive<OpenSession>(open =>
            {
                var session = Context.ActorOf(Props.Create(() => new Session()));
                session.Tell(new SessionOpened { MemberId = 1, LeaderId = 1, User = open.Password?.Name ?? "" }, Sender);
            });
        }
    }

    private sealed class Session : ReceiveActor
    {
        public Session()
        {
            // Sent to itself with the client as sender: SessionOpened must come from the session actor.
            Receive<SessionOpened>(opened => Sender.Tell(opened, Self));
            Receive<ClientRequest>(request => Sender.Tell(request.RequestCase switch
            {
                ClientRequest.RequestOneofCase.Range => new ClientResponse { Id = request.Id, Range = new RangeResponse { Count = 42 } },
                ClientRequest.RequestOneofCase.MemberList => new ClientResponse { Id = request.Id, MemberList = new MemberListResponse() },
                _ => new ClientResponse { Id = request.Id, Error = new ClientError { Code = 12, Message = "not in this fake" } },
            }));
            Receive<WatchOpen>(open => Context.ActorOf(Props.Create(() => new MemberWatch(open, Sender))));
        }
    }

    private sealed class MemberWatch : ReceiveActor
    {
        public MemberWatch(WatchOpen open, IActorRef relay)
        {
            relay.Tell(new WatchBatch { WatchId = open.WatchId, Response = new WatchResponse { Created = true, Header = new ResponseHeader { Revision = 7 } } }, Self);
            Receive<WatchClose>(_ => Context.Stop(Self));
            Receive<WatchCredit>(_ => { });
        }
    }
}
