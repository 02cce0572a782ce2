using ActorStore.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorStore.Discovery;

/// <summary>
/// Gives a member started with --discovery-srv, and not bootstrapped before, the initial cluster its DNS SRV records
/// describe (<see cref="SrvClusterDiscovery"/>). A member that holds data reads its cluster from its data dir, as in etcd.
/// </summary>
public static class SrvBootstrap
{
    /// <summary>The configuration with its initial cluster filled in, or etcd's error (as etcd words it at exit).</summary>
    public static async Task<(MemberConfig? Config, string? Error)> ApplyAsync(
        MemberConfig config, IReadOnlyDictionary<string, string?> environment, ILogger log, CancellationToken ct)
    {
        SrvClusterDiscovery discovery;
        try
        {
            discovery = SrvClusterDiscovery.Create(environment);
        }
        catch (FormatException e)
        {
            return (null, e.Message);
        }

        var (initialCluster, error) = await discovery.ResolveAsync(
            config.DiscoverySrv, config.DiscoverySrvName, config.Name, config.InitialAdvertisePeerUrls, log, ct);
        if (initialCluster is null)
        {
            return (null, "error setting up initial cluster: " + error);
        }
        var parseError = EtcdUrls.TryParseInitialCluster(initialCluster, out var members);
        if (parseError is not null)
        {
            return (null, parseError);
        }
        var parsed = members
            .Select(member => new InitialClusterMember(member.Name, member.Urls.Order(StringComparer.Ordinal).Select(url => new Uri(url)).ToList()))
            .ToList();
        return (config with { InitialCluster = initialCluster, InitialClusterMembers = parsed }, null);
    }
}
