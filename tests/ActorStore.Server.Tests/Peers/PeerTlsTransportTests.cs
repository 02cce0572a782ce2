using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using ActorStore.Server.Peers;
using ActorStore.Server.Tls;
using Xunit;

namespace ActorStore.Server.Tests.Peers;

/// <summary>
/// Akka.Remote with the member's peer TLS: members of one CA talk, and a peer of another CA is refused both when it
/// dials in and when a member dials it, without stopping the member (Akka.Remote's own reaction to a failed outbound
/// handshake would terminate the dialing ActorSystem).
/// </summary>
public sealed class PeerTlsTransportTests : IAsyncLifetime
{
    private readonly X509Certificate2 _ca = TestCertificates.Ca("cluster-ca");
    private readonly X509Certificate2 _otherCa = TestCertificates.Ca("intruder-ca");
    private readonly List<ActorSystem> _systems = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_systems.Select(system => system.Terminate()));
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public async Task An_untrusted_peer_is_refused_both_ways_and_the_members_keep_talking()
    {
        var (a, aLog, aPort) = Start("a", _ca, 1);
        var (b, _, bPort) = Start("b", _ca, 2);
        var (intruder, _, intruderPort) = Start("intruder", _otherCa, 3);

        Assert.Equal("hello", await Ask(a, bPort, "hello"));

        // The member dials the intruder: its own check refuses the intruder's certificate.
        await Assert.ThrowsAnyAsync<Exception>(() => Ask(a, intruderPort, "secret"));
        // The intruder dials the member: the member refuses the intruder's client certificate.
        await Assert.ThrowsAnyAsync<Exception>(() => Ask(intruder, aPort, "let me in"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.False(a.WhenTerminated.IsCompleted, "the member dialing an untrusted peer must not stop");
        Assert.Equal("still here", await Ask(a, bPort, "still here"));
        Assert.Equal("and back", await Ask(b, aPort, "and back"));
        Assert.Contains(aLog.Lines, line => line.Contains("rejected connection") && line.Contains("127.0.0.1:" + intruderPort) && line.Contains("x509: certificate signed by unknown authority"));
        Assert.Contains(aLog.Lines, line => line.Contains("rejected connection") && line.Contains("tls: failed to verify client certificate: x509: certificate signed by unknown authority"));
    }

    [Fact]
    public async Task A_peer_whose_ca_does_not_trust_the_member_cannot_stop_it_either()
    {
        // The peer's certificate is one the member trusts, but the peer trusts another CA, so it refuses the member's.
        var (a, _, _) = Start("a", _ca, 4);
        var (b, _, bPort) = Start("b", _ca, 5);
        var (stranger, _, strangerPort) = Start("stranger", _ca, 6, trust: _otherCa);

        await Assert.ThrowsAnyAsync<Exception>(() => Ask(a, strangerPort, "hello?"));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.False(a.WhenTerminated.IsCompleted);
        Assert.Equal("fine", await Ask(a, bPort, "fine"));
        Assert.False(stranger.WhenTerminated.IsCompleted);
    }

    private (ActorSystem System, CapturedLog Log, int Port) Start(string name, X509Certificate2 issuer, long serial, X509Certificate2? trust = null)
    {
        var port = FreePort();
        var log = new CapturedLog();
        var certificate = TestCertificates.Leaf(issuer, name, serial, ["127.0.0.1"]);
        var policy = new TlsCertificatePolicy([trust ?? issuer], requireClientCertificate: true, skipServerVerification: false,
            allowedCn: null, allowedHostname: null, () => CertificateRevocations.None, verifyClientAddress: true);
        var tls = new PeerTlsSetup(certificate, policy, log);
        var config = ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.loglevel = WARNING
            akka.stdout-loglevel = OFF
            akka.remote.dot-netty.tcp.hostname = 127.0.0.1
            akka.remote.dot-netty.tcp.port = {port}
            akka.remote.retry-gate-closed-for = 200ms
            {tls.ToHocon()}
            """).WithFallback(MemberAkkaConfig.Reference());
        var system = ActorSystem.Create("actorstore", BootstrapSetup.Create().WithConfig(config).And(tls.ToAkkaSetup()));
        system.ActorOf(Props.Create(() => new EchoActor()), "echo");
        _systems.Add(system);
        return (system, log, port);
    }

    private static async Task<string> Ask(ActorSystem from, int port, string text)
    {
        var echo = await from.ActorSelection($"akka.ssl.tcp://actorstore@127.0.0.1:{port}/user/echo").ResolveOne(TimeSpan.FromSeconds(10));
        return await echo.Ask<string>(text, TimeSpan.FromSeconds(10));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => Receive<string>(text => Sender.Tell(text));
    }
}
