using ActorStore.Protocol.Text;
using Microsoft.Extensions.Logging;

namespace ActorStore.Configuration;

/// <summary>
/// The checks etcd 3.4.23 makes on the --peer-* TLS settings when it starts its peer listeners and transport, made
/// at load time instead so that nothing is touched first. Messages are etcd's where etcd has one.
/// </summary>
internal static class PeerSecurityRules
{
    public static string? Validate(SettingValues values, List<ConfigNotice> notices)
    {
        var certFile = values.String("peer-cert-file");
        var keyFile = values.String("peer-key-file");
        var hasTlsInfo = certFile.Length > 0 || keyFile.Length > 0;
        var listen = values.List("listen-peer-urls");
        var advertised = values.List("initial-advertise-peer-urls");

        if (values.Bool("peer-auto-tls") && hasTlsInfo)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "ignoring peer auto TLS since certs given"));
        }

        var autoTls = values.Bool("peer-auto-tls") && !hasTlsInfo;
        foreach (var url in listen)
        {
            if (!IsTls(url))
            {
                if (hasTlsInfo)
                {
                    notices.Add(new ConfigNotice(LogLevel.Warning, "scheme is HTTP while key and cert files are present; ignoring key and cert files", [new("peer-url", url)]));
                }

                if (values.Bool("peer-client-cert-auth"))
                {
                    notices.Add(new ConfigNotice(LogLevel.Warning, "scheme is HTTP while --peer-client-cert-auth is enabled; ignoring client cert auth for this URL", [new("peer-url", url)]));
                }
            }
            else if (!hasTlsInfo && !autoTls)
            {
                return $"cannot listen on TLS for {BoundAddress(url)}: KeyFile and CertFile are not presented";
            }
        }

        // etcd would start, and its peers would fail every handshake with it; better to say so now.
        var advertisedTls = advertised.FirstOrDefault(IsTls);
        if (advertisedTls is not null && !hasTlsInfo && !autoTls)
        {
            return $"--initial-advertise-peer-urls has {advertisedTls}, but there is no peer certificate: set --peer-cert-file and --peer-key-file, or --peer-auto-tls";
        }

        if (!hasTlsInfo)
        {
            // etcd never builds a TLS configuration then, so it reads none of the other settings.
            return null;
        }

        if (keyFile.Length == 0 || certFile.Length == 0)
        {
            return $"KeyFile and CertFile must both be present[key: {keyFile}, cert: {certFile}]";
        }

        foreach (var file in (string[])[certFile, keyFile, values.String("peer-trusted-ca-file"), values.String("peer-crl-file")])
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                return Directory.Exists(file) ? $"read {file}: is a directory" : $"open {file}: no such file or directory";
            }
        }

        // etcd loads the pair when it builds its TLS configuration, before anything touches the data dir.
        try
        {
            using var pair = ActorStore.Server.Tls.TlsCertificateFiles.LoadPem(certFile, keyFile);
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }

        var allowedCn = values.String("peer-cert-allowed-cn");
        var allowedHostname = values.String("peer-cert-allowed-hostname");
        if (allowedCn.Length > 0 && allowedHostname.Length > 0)
        {
            return $"AllowedCN and AllowedHostname are mutually exclusive (cn={GoQuote.Quote(allowedCn)}, hostname={GoQuote.Quote(allowedHostname)})";
        }

        return null;
    }

    public static bool IsTls(string url) =>
        url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("unixs:", StringComparison.OrdinalIgnoreCase);

    /// <summary>etcd names the address its listener bound, so "localhost" reads as 127.0.0.1.</summary>
    internal static string BoundAddress(string url)
    {
        var host = EtcdUrls.Host(url);
        var authority = url[(url.IndexOf("//", StringComparison.Ordinal) + 2)..].TrimEnd('/');
        return host == "localhost" ? "127.0.0.1" + authority["localhost".Length..] : authority;
    }
}
