using ActorStore.Configuration;
using ActorStore.Gateway.Tls;
using ActorStore.Server.Tls;

namespace ActorStore;

/// <summary>What the client gateway's TLS is started with, from a loaded configuration.</summary>
public static class ClientTlsConfig
{
    /// <summary>
    /// The TLS for the member's https:// client URLs and https:// metrics URLs (etcd serves those with the client TLS
    /// settings); null when it has none (http:// listeners ignore the client TLS flags, as etcd's do). Public so that
    /// tests can check the mapping.
    /// </summary>
    public static ClientTlsOptions? ToClientTlsOptions(MemberConfig config)
    {
        if (!config.ListenClientUrls.Concat(config.ListenMetricsUrls).Any(static url => url.Scheme is "https" or "unixs"))
        {
            return null;
        }
        var client = config.ClientSecurity;
        // The names were checked when the configuration was loaded.
        GoCipherSuites.TryParse(config.CipherSuites, out var suites, out _);
        return new ClientTlsOptions
        {
            CertFile = client.CertFile,
            KeyFile = client.KeyFile,
            TrustedCaFile = client.TrustedCaFile,
            ClientCertAuth = client.ClientCertAuth,
            // As in etcd, given certificate files win over --auto-tls.
            AutoTls = client.AutoTls && !client.HasCertificate,
            CrlFile = client.CrlFile,
            AllowedHostname = client.AllowedHostname,
            CipherSuites = suites,
        };
    }

    /// <summary>The hosts of the listen client URLs, which etcd makes an auto-TLS certificate for.</summary>
    public static IEnumerable<string> Hosts(MemberConfig config) =>
        config.ListenClientUrls.Select(static url => url.Host.Trim('[', ']'));
}
