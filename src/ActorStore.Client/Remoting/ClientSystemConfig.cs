using System.Net;
using ActorStore.Client.Wire;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace ActorStore.Client.Remoting;

/// <summary>The Akka settings a program's actor system needs to reach the members.</summary>
internal static class ClientSystemConfig
{
    /// <summary>Remoting of the program's own: a port of the system's choosing on loopback (or every interface).</summary>
    public static Config RemotingDefaults(ActorStoreClientOptions options)
    {
        var loopback = MemberEntries.AllOnLoopback(options);
        var publicHost = loopback ? "127.0.0.1" : Dns.GetHostName();
        return ConfigurationFactory.ParseString($"""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp.hostname = "{(loopback ? "127.0.0.1" : "0.0.0.0")}"
            akka.remote.dot-netty.tcp.public-hostname = "{publicHost}"
            akka.remote.dot-netty.tcp.port = 0
            """);
    }

    /// <summary>What talking to members takes whoever configured remoting: the wire, TLS, failure detection, shutdown.</summary>
    public static Config Required(ActorStoreClientOptions options)
    {
        var tls = MemberEntries.UsesTls(options);
        return ConfigurationFactory.ParseString($"""
            akka.remote.dot-netty.tcp.enable-ssl = {(tls ? "on" : "off")}
            akka.remote.dot-netty.tcp.ssl.suppress-validation = off
            akka.remote.dot-netty.tcp.ssl.validate-certificate-hostname = off
            akka.remote.dot-netty.tcp.ssl.require-mutual-authentication = on
            # Members send and take frames up to this size (their akka settings).
            akka.remote.dot-netty.tcp.maximum-frame-size = 4MiB
            akka.remote.dot-netty.tcp.connection-timeout = 5s
            # A restarted member is reachable again within a second.
            akka.remote.retry-gate-closed-for = 1s
            # A member cut off is noticed within seconds: its session's Terminated moves the client to another member.
            akka.remote.transport-failure-detector.heartbeat-interval = 1s
            akka.remote.transport-failure-detector.acceptable-heartbeat-pause = 5s
            akka.remote.watch-failure-detector.heartbeat-interval = 1s
            akka.remote.watch-failure-detector.acceptable-heartbeat-pause = 5s
            # Akka.Remote runs CoordinatedShutdown when a TLS handshake it dialed fails: a member that is misconfigured
            # or not trusted must not end the program's actor system. ShutdownGuard ends it for every other reason.
            akka.coordinated-shutdown.terminate-actor-system = off
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            {ClientMessageSerializer.Hocon}
            """);
    }

    /// <summary>TLS with the client certificate and the members' CA; null when the members speak plain TCP.</summary>
    public static DotNettySslSetup? Tls(ActorStoreClientOptions options)
    {
        if (!MemberEntries.UsesTls(options))
        {
            return null;
        }
        var certificate = options.Certificate
            ?? throw new InvalidOperationException("the members speak TLS (https:// peer URLs): ActorStoreClientOptions.Certificate must hold the client's certificate and key");
        var validator = new MemberCertificateValidator(options.TrustedCertificates);
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
            validateCertificateHostname: false, customValidator: validator.Validate);
    }

    public static IEnumerable<Setup> Setups(ActorStoreClientOptions options) =>
        Tls(options) is { } tls ? [tls] : [];
}
