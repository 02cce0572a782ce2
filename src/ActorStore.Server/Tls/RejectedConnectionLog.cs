using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Tls;

/// <summary>
/// etcd's "rejected connection" warning for a TLS connection it turned away, on the peer and the client listener alike:
/// remote-addr, server-name (the SNI the other end sent, empty without), and when the other end presented a
/// certificate its ip-addresses and dns-names, then the error in Go's words.
/// </summary>
public static class RejectedConnectionLog
{
    public static void Write(ILogger log, string remoteAddress, string serverName, X509Certificate2? certificate, string error)
    {
        if (certificate is null)
        {
            log.LogWarning("rejected connection {remote-addr} {server-name} {error}", remoteAddress, serverName, error);
            return;
        }
        var (ips, dnsNames) = TlsCertificatePolicy.NamesOf(certificate);
        log.LogWarning("rejected connection {remote-addr} {server-name} {ip-addresses} {dns-names} {error}",
            remoteAddress, serverName, ips.Select(ip => ip.ToString()).ToArray(), dnsNames.ToArray(), error);
    }

    /// <summary>Go's words for what .NET reports (an exception's text, a log line) about a handshake the other end broke off or never began.</summary>
    public static string DescribeHandshakeError(string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower.Contains("alert bad certificate") || lower.Contains("alert certificate unknown"))
        {
            return "remote error: tls: bad certificate";
        }
        if (lower.Contains("alert unknown ca"))
        {
            return "remote error: tls: unknown certificate authority";
        }
        if (lower.Contains("alert certificate required") || lower.Contains("remotecertificatenotavailable") || lower.Contains("no certificate"))
        {
            return "tls: client didn't provide a certificate";
        }
        if (lower.Contains("rejected by the provided remotecertificatevalidationcallback"))
        {
            // This member's own check logs what it refuses; a refusal only the transport reports is one without a certificate.
            return "tls: client didn't provide a certificate";
        }
        if (lower.Contains("not an ssl/tls record") || lower.Contains("frame size") || lower.Contains("unexpected packet format") || lower.Contains("wrong version number")
            || lower.Contains("http request") || lower.Contains("corrupted frame"))
        {
            return "tls: first record does not look like a TLS handshake";
        }
        var errorLine = text.Split('\n').FirstOrDefault(line => line.TrimStart().StartsWith("Error:", StringComparison.Ordinal));
        return "remote error: tls: " + (errorLine?.Trim()["Error:".Length..].Trim() ?? "handshake failure");
    }
}
