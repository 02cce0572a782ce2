using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Tls;
using Akka.Remote.Transport.DotNetty;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Peers;

/// <summary>
/// Akka.Remote's TLS for https:// peer URLs: the member's certificate, mutual authentication when etcd's flags ask
/// for it, and etcd's checks (<see cref="TlsCertificatePolicy"/>) in the validation callback, which runs for the
/// connections this member accepts and for those it dials. A refused peer is logged as etcd logs it.
/// </summary>
public sealed class PeerTlsSetup
{
    private const string HandshakeFailed = "TLS handshake failed on channel [";
    private const string RejectedIncoming = "Rejected incoming connection from [";
    private const string NoClientCertificate = "Mutual TLS required but client did not provide a certificate from ";

    private readonly TlsCertificatePolicy _policy;
    private readonly ILogger _log;

    // Connections this member's own check refused (and logged) lately, so Akka's report of them is not logged again.
    private readonly ConcurrentDictionary<string, long> _refusedLately = new(StringComparer.Ordinal);

    public PeerTlsSetup(X509Certificate2 certificate, TlsCertificatePolicy policy, ILogger log)
    {
        Certificate = certificate;
        _policy = policy;
        _log = log;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The TLS a member with https:// peer URLs runs with, from etcd's peer flags; null for http:// peer URLs. With
    /// --peer-auto-tls the certificate is made (once) under data-dir/fixtures/peer, for the hosts of the peer URLs.
    /// </summary>
    public static PeerTlsSetup? From(PeerSecurityOptions security, string dataDir, IEnumerable<string> peerHosts, ILogger log, TimeProvider clock)
    {
        if (!security.Https)
        {
            return null;
        }
        var (certFile, keyFile) = security.HasCertificate
            ? (security.CertFile, security.KeyFile)
            : security.AutoTls
                ? TlsCertificateFiles.EnsureSelfSigned(Path.Combine(dataDir, "fixtures", "peer"), peerHosts, clock)
                : throw new InvalidOperationException("https:// peer URLs need --peer-cert-file and --peer-key-file, or --peer-auto-tls");
        // As in etcd, the auto-TLS certificate replaces the whole peer TLS configuration: peers are encrypted, not checked.
        var trusted = security.HasCertificate && security.TrustedCaFile.Length > 0 ? TlsCertificateFiles.LoadBundle(security.TrustedCaFile) : null;
        var policy = new TlsCertificatePolicy(
            trusted,
            requireClientCertificate: security.HasCertificate && (security.ClientCertAuth || trusted is not null),
            // etcd dials its peers without checking them when its own certificate is the auto-TLS one.
            skipServerVerification: !security.HasCertificate,
            security.AllowedCn,
            security.AllowedHostname,
            CertificateRevocations.Reloading(security.CrlFile),
            verifyClientAddress: !security.SkipClientSanVerification);
        return new PeerTlsSetup(TlsCertificateFiles.LoadPem(certFile, keyFile), policy, log);
    }

    /// <summary>Goes into the ActorSystem's setup; Akka.Remote then ignores the HOCON certificate settings.</summary>
    public DotNettySslSetup ToAkkaSetup() =>
        new(Certificate, suppressValidation: false, requireMutualAuthentication: _policy.RequireClientCertificate,
            validateCertificateHostname: false, customValidator: Validate);

    /// <summary>
    /// The transport settings that go with <see cref="ToAkkaSetup"/>. Akka.Remote runs CoordinatedShutdown when a
    /// handshake this member dialed fails; the akka section of hocon/reference.conf keeps that from ending the member.
    /// </summary>
    public string ToHocon() =>
        $"""
        akka.remote.dot-netty.tcp.enable-ssl = on
        akka.remote.dot-netty.tcp.ssl.suppress-validation = off
        akka.remote.dot-netty.tcp.ssl.validate-certificate-hostname = off
        akka.remote.dot-netty.tcp.ssl.require-mutual-authentication = {(_policy.RequireClientCertificate ? "on" : "off")}
        """;

    private bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, Akka.Event.ILoggingAdapter akkaLog)
    {
        var (role, host, remoteAddress) = ParseRemotePeer(remotePeer);
        var presented = chain is null ? [] : chain.ChainElements.Select(element => element.Certificate).ToList();
        var reason = _policy.Refuse(certificate, presented, role, host);
        if (reason is null)
        {
            return true;
        }
        RememberRefused(remoteAddress);
        // Akka's peers send no SNI: server-name is empty.
        RejectedConnectionLog.Write(_log, remoteAddress, "", certificate, reason);
        return false;
    }

    /// <summary>
    /// Takes Akka.Remote's log text about a failed peer TLS handshake: true when <paramref name="text"/> was one (it is
    /// then logged here, once, as etcd would, or not at all when this member's own check refused it and said so).
    /// </summary>
    public bool OnTransportHandshakeFailure(string text)
    {
        if (text.StartsWith(RejectedIncoming, StringComparison.Ordinal))
        {
            return true;
        }
        if (text.StartsWith(NoClientCertificate, StringComparison.Ordinal))
        {
            // Akka names this cause before the handshake's own failure report, whose error text then depends on how
            // the connection ended ("Channel is closed", say): log etcd's line now, and the report is the same refusal.
            var (_, _, from) = ParseRemotePeer(text[NoClientCertificate.Length..].Split('\n')[0].Trim());
            RememberRefused(from);
            LogRejected(from, "tls: client didn't provide a certificate");
            return true;
        }
        if (!text.StartsWith(HandshakeFailed, StringComparison.Ordinal))
        {
            return false;
        }
        var arrow = text.IndexOf("->", StringComparison.Ordinal);
        var end = text.IndexOf("](Id=", StringComparison.Ordinal);
        if (arrow < 0 || end < arrow)
        {
            return false;
        }
        var (_, _, remoteAddress) = ParseRemotePeer(text[(arrow + 2)..end]);
        if (_refusedLately.TryRemove(remoteAddress, out _))
        {
            return true;
        }
        var error = RejectedConnectionLog.DescribeHandshakeError(text);
        if (text.Contains("(Server side)", StringComparison.Ordinal))
        {
            LogRejected(remoteAddress, error);
        }
        else
        {
            _log.LogWarning("peer TLS handshake failed {remote-addr} {error}", remoteAddress, error);
        }
        return true;
    }

    /// <summary>etcd's line for a refused peer that presented no certificate to name (no SNI either: server-name is empty).</summary>
    private void LogRejected(string remoteAddress, string error) => RejectedConnectionLog.Write(_log, remoteAddress, "", null, error);

    private void RememberRefused(string remoteAddress)
    {
        if (_refusedLately.Count > 1024)
        {
            _refusedLately.Clear();
        }
        _refusedLately[remoteAddress] = Environment.TickCount64;
    }

    /// <summary>
    /// Akka names the peer as its address ("ssl.tcp://system@host:port") when this member dialed it, and as the
    /// socket's remote end point ("[::ffff:127.0.0.1]:41234") when it accepted the connection.
    /// </summary>
    internal static (TlsConnectionRole Role, string Host, string RemoteAddress) ParseRemotePeer(string remotePeer)
    {
        var at = remotePeer.IndexOf('@');
        if (remotePeer.Contains("://", StringComparison.Ordinal) && at > 0)
        {
            var hostPort = remotePeer[(at + 1)..].TrimEnd('/');
            return (TlsConnectionRole.Outbound, HostOf(hostPort), hostPort);
        }
        var host = HostOf(remotePeer);
        if (System.Net.IPAddress.TryParse(host, out var ip) && ip.IsIPv4MappedToIPv6)
        {
            host = ip.MapToIPv4().ToString();
        }
        var port = remotePeer.LastIndexOf(':') is var colon and > 0 && !remotePeer.EndsWith(']') ? remotePeer[colon..] : "";
        return (TlsConnectionRole.Inbound, host, host.Contains(':') ? $"[{host}]{port}" : host + port);
    }

    private static string HostOf(string hostPort)
    {
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            return close > 0 ? hostPort[1..close] : hostPort;
        }
        var colon = hostPort.LastIndexOf(':');
        return colon > 0 && hostPort.IndexOf(':') == colon ? hostPort[..colon] : hostPort;
    }
}
