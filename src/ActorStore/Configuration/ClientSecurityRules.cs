using ActorStore.Protocol.Text;
using ActorStore.Server.Tls;
using Microsoft.Extensions.Logging;

namespace ActorStore.Configuration;

/// <summary>
/// The checks etcd 3.4.23 makes on its client TLS settings (--cert-file, --key-file, --trusted-ca-file,
/// --client-cert-auth, --auto-tls, --cipher-suites) when it configures its client and metrics listeners, made at load
/// time instead so that nothing is touched first. Messages are etcd's.
/// </summary>
internal static class ClientSecurityRules
{
    /// <summary>
    /// --cipher-suites, which etcd parses before any other TLS setting (for its peer listeners first). Peers talk over
    /// Akka.Remote's TLS, which cannot be limited to a list of suites: with https:// peer URLs the flag is refused
    /// rather than applied to the client side only.
    /// </summary>
    public static string? ValidateCipherSuites(SettingValues values)
    {
        var names = values.List("cipher-suites").Where(static name => name.Length > 0).ToList();
        if (!GoCipherSuites.TryParse(names, out _, out var unknown))
        {
            return $"unexpected TLS cipher suite {GoQuote.Quote(unknown!)}";
        }
        var tlsPeerUrl = values.List("listen-peer-urls").FirstOrDefault(PeerSecurityRules.IsTls);
        return names.Count > 0 && tlsPeerUrl is not null
            ? $"--cipher-suites with the TLS peer URL {tlsPeerUrl}: ActorStore applies cipher suites to client connections only, not yet to its peer transport; that changes security, so the member refuses to start rather than run without it"
            : null;
    }

    public static string? Validate(SettingValues values, List<ConfigNotice> notices)
    {
        // The gateway serves TCP only; TLS over a unix socket would otherwise fail only once the member has started.
        var unixsUrl = values.List("listen-client-urls").FirstOrDefault(static url => url.StartsWith("unixs:", StringComparison.OrdinalIgnoreCase));
        if (unixsUrl is not null)
        {
            return $"--listen-client-urls {unixsUrl}: client TLS over unix sockets (unixs://) is not supported by ActorStore yet; it changes security, so the member refuses to start rather than serve without it";
        }

        // etcd serves both schemes on one socket when they share an address; the gateway binds one socket per URL, so
        // the second bind would fail only once the member had started.
        var shared = values.List("listen-client-urls")
            .GroupBy(static url => url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..].TrimEnd('/'), StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(static sameAddress => sameAddress.Any(PeerSecurityRules.IsTls) && sameAddress.Any(static url => !PeerSecurityRules.IsTls(url)));
        if (shared is not null)
        {
            return $"--listen-client-urls {string.Join(',', shared)}: http:// and https:// on the same address are not supported by ActorStore yet (etcd serves both on one socket); list them on different addresses or ports";
        }

        var certFile = values.String("cert-file");
        var keyFile = values.String("key-file");
        // etcd's TLSInfo.Empty(): neither file named.
        var hasTlsInfo = certFile.Length > 0 || keyFile.Length > 0;
        if (values.Bool("auto-tls") && hasTlsInfo)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "ignoring client auto TLS since certs given"));
        }
        var autoTls = values.Bool("auto-tls") && !hasTlsInfo;

        foreach (var url in values.List("listen-client-urls"))
        {
            if (!PeerSecurityRules.IsTls(url))
            {
                if (hasTlsInfo)
                {
                    notices.Add(new ConfigNotice(LogLevel.Warning, "scheme is HTTP while key and cert files are present; ignoring key and cert files", [new("client-url", url)]));
                }
                if (values.Bool("client-cert-auth"))
                {
                    notices.Add(new ConfigNotice(LogLevel.Warning, "scheme is HTTP while --client-cert-auth is enabled; ignoring client cert auth for this URL", [new("client-url", url)]));
                }
            }
            else if (!hasTlsInfo && !autoTls)
            {
                return $"TLS key/cert (--cert-file, --key-file) must be provided for client url {url} with HTTPS scheme";
            }
        }

        var tlsMetricsUrl = values.List("listen-metrics-urls").FirstOrDefault(PeerSecurityRules.IsTls);
        if (tlsMetricsUrl is not null && !hasTlsInfo && !autoTls)
        {
            return $"cannot listen on TLS for {PeerSecurityRules.BoundAddress(tlsMetricsUrl)}: KeyFile and CertFile are not presented";
        }

        var servesTls = values.List("listen-client-urls").Any(PeerSecurityRules.IsTls) || tlsMetricsUrl is not null;
        if (!hasTlsInfo || !servesTls)
        {
            // etcd builds a client TLS configuration only for TLS listeners; until then it reads none of the files.
            return null;
        }

        if (keyFile.Length == 0 || certFile.Length == 0)
        {
            return $"KeyFile and CertFile must both be present[key: {keyFile}, cert: {certFile}]";
        }

        // The CRL is read at each handshake (a missing one refuses clients then, as in etcd), the rest now.
        foreach (var file in (string[])[certFile, keyFile, values.String("trusted-ca-file")])
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                return Directory.Exists(file) ? $"read {file}: is a directory" : $"open {file}: no such file or directory";
            }
        }

        try
        {
            using var pair = TlsCertificateFiles.LoadPem(certFile, keyFile);
            var trustedCaFile = values.String("trusted-ca-file");
            if (trustedCaFile.Length > 0)
            {
                foreach (var authority in TlsCertificateFiles.LoadBundle(trustedCaFile))
                {
                    authority.Dispose();
                }
            }
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }

        return null;
    }
}
