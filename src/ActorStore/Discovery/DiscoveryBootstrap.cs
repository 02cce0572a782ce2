using System.Net;
using ActorStore.Configuration;
using ActorStore.Server.Membership;
using Microsoft.Extensions.Logging;

namespace ActorStore.Discovery;

/// <summary>
/// A new member given --discovery asks the discovery service for its initial cluster before it starts, as etcd does:
/// member ids are computed with the discovery URL as the cluster token, so every member registers and finds the same
/// ids. A member that holds data already ignores the discovery URL.
/// </summary>
public static class DiscoveryBootstrap
{
    /// <summary>The configuration to start with, or an error message (etcd's, where it has one) after logging it.</summary>
    public static async Task<(MemberConfig? Config, string? Error)> ResolveAsync(
        MemberConfig config, bool holdsMember, ILogger log, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Discovery.Length == 0)
        {
            return (config, null);
        }
        if (holdsMember)
        {
            log.LogWarning("discovery token ignored since a cluster has already been initialized; valid log found {data-dir}", config.DataDir);
            return (config, null);
        }

        if (!Uri.TryCreate(config.Discovery, UriKind.Absolute, out var discoveryUrl) || discoveryUrl.Scheme is not ("http" or "https"))
        {
            return Failed(log, config, DiscoveryFailedException.InvalidUrl);
        }
        var proxy = ProxyOf(config.DiscoveryProxy, out var proxyError);
        if (proxyError is not null)
        {
            return Failed(log, config, proxyError);
        }
        if (proxy is not null)
        {
            log.LogInformation("running proxy with discovery {proxy-url}", proxy.Address);
        }

        var peerUrls = config.InitialAdvertisePeerUrls.Select(url => url.OriginalString).ToList();
        var memberId = MemberIdentity.ComputeMemberId(peerUrls, config.Discovery);
        var selfPeers = string.Join(',', peerUrls.Order(StringComparer.Ordinal).Select(url => $"{config.Name}={url}"));
        using var handler = new SocketsHttpHandler { Proxy = proxy, UseProxy = proxy is not null, ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var endpoint = new Uri(discoveryUrl.GetLeftPart(UriPartial.Authority));
        var discovery = new UrlDiscovery(new HttpDiscoveryRegistry(http, endpoint), discoveryUrl.AbsolutePath, memberId, log, time);
        string cluster;
        try
        {
            cluster = await discovery.JoinClusterAsync(selfPeers, ct).ConfigureAwait(false);
        }
        catch (DiscoveryFailedException e) when (e.IsFullCluster && config.DiscoveryFallback == DiscoveryFallback.Proxy)
        {
            log.LogWarning("discovery cluster is full, falling back to proxy {fallback-proxy} {error}", "proxy", JoinError(e.Message));
            return Failed(log, config, "ActorStore has no v2 proxy to fall back to: start this member with --discovery-fallback exit, or add it to the cluster with `etcdctl member add`");
        }
        catch (DiscoveryFailedException e)
        {
            return Failed(log, config, JoinError(e.Message));
        }

        var parseError = EtcdUrls.TryParseInitialCluster(cluster, out var members);
        if (parseError is not null)
        {
            return Failed(log, config, parseError);
        }
        if (members.SelectMany(member => member.Urls).GroupBy(url => url, StringComparer.Ordinal).Any(urls => urls.Count() > 1))
        {
            return Failed(log, config, $"discovery cluster {cluster} has duplicate url");
        }
        log.LogInformation("initial cluster from discovery {initial-cluster}", cluster);
        return (config with
        {
            InitialCluster = cluster,
            InitialClusterMembers = members.Select(m => new InitialClusterMember(m.Name, m.Urls.Select(url => new Uri(url, UriKind.Absolute)).ToList())).ToList(),
            InitialClusterToken = config.Discovery,
        }, null);
    }

    /// <summary>etcd's DiscoveryError text for a failed join.</summary>
    private static string JoinError(string reason) => $"failed to join discovery cluster ({reason})";

    private static (MemberConfig?, string?) Failed(ILogger log, MemberConfig config, string error)
    {
        if (error.Contains(DiscoveryFailedException.DuplicateId, StringComparison.Ordinal))
        {
            log.LogWarning("member has been registered with discovery service {name} {discovery-token} {error}; check data dir if previous bootstrap succeeded, or use a new discovery token if previous bootstrap failed",
                config.Name, config.Discovery, error);
        }
        else
        {
            log.LogWarning("failed to bootstrap with the discovery service {discovery-token} {error}", config.Discovery, error);
        }
        return (null, error);
    }

    /// <summary>--discovery-proxy as etcd reads it: a URL, "http://" assumed when no scheme is given.</summary>
    private static WebProxy? ProxyOf(string proxy, out string? error)
    {
        error = null;
        if (proxy.Length == 0)
        {
            return null;
        }
        var text = proxy.StartsWith("http://", StringComparison.Ordinal) || proxy.StartsWith("https://", StringComparison.Ordinal) ? proxy : "http://" + proxy;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address))
        {
            error = $"invalid proxy address {Protocol.Text.GoQuote.Quote(proxy)}";
            return null;
        }
        return new WebProxy(address);
    }
}
