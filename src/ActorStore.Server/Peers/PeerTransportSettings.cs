using Akka.Configuration;

namespace ActorStore.Server.Peers;

/// <summary>
/// How this member's Akka.Remote transport is set up from etcd's peer URLs: it listens on the first listen peer URL
/// (port 0 picks a free port) and tells peers the first advertised peer URL, which is how member lists name it.
/// With https:// peer URLs the transport speaks TLS (<see cref="Tls"/>); never plain TCP under an https:// URL.
/// </summary>
public sealed record PeerTransportSettings
{
    public required string ListenHost { get; init; }

    public required int ListenPort { get; init; }

    /// <summary>The host peers use; Akka.Remote drops messages addressed to any other name of this member.</summary>
    public required string AdvertisedHost { get; init; }

    /// <summary>The port peers use; 0 means the bound one.</summary>
    public required int AdvertisedPort { get; init; }

    /// <summary>TLS for https:// peer URLs; null for http:// ones.</summary>
    public PeerTlsSetup? Tls { get; init; }

    /// <summary>The Akka.Remote protocol of this member's addresses (and of its peers').</summary>
    public string Protocol => Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    public static PeerTransportSettings For(Uri listenPeerUrl, Uri advertisedPeerUrl, PeerTlsSetup? tls = null)
    {
        ArgumentNullException.ThrowIfNull(listenPeerUrl);
        ArgumentNullException.ThrowIfNull(advertisedPeerUrl);
        return new PeerTransportSettings
        {
            ListenHost = HostOf(listenPeerUrl),
            ListenPort = listenPeerUrl.Port,
            AdvertisedHost = HostOf(advertisedPeerUrl),
            AdvertisedPort = advertisedPeerUrl.Port,
            Tls = tls,
        };
    }

    /// <summary>A URL's host as Akka.Remote names it: IPv6 literals without their brackets.</summary>
    public static string HostOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Host.Trim('[', ']');
    }

    /// <summary>The transport's part of the akka configuration; it overrides whatever configuration files say.</summary>
    public Config ToConfig() => ConfigurationFactory.ParseString($$"""
        akka.remote.dot-netty.tcp {
          hostname = "{{ListenHost}}"
          port = {{ListenPort}}
          public-hostname = "{{AdvertisedHost}}"
          public-port = {{AdvertisedPort}}
        }
        {{Tls?.ToHocon() ?? "akka.remote.dot-netty.tcp.enable-ssl = off"}}
        """);
}
