using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ActorStore.Discovery;

/// <summary>
/// etcd's discovery protocol (--discovery URL) on a v2 keys registry: read the expected size from
/// TOKEN/_config/size, register this member as TOKEN/&lt;member id in hex&gt; = "name=peer-url,...", then wait until the
/// first <c>size</c> registrations (by creation order) are there; their values joined are the initial cluster. A
/// member registered beyond the size finds the cluster full. An unreachable registry is retried with etcd's backoff
/// (2 s doubling up to 256 s).
/// </summary>
public sealed class UrlDiscovery(IDiscoveryRegistry registry, string clusterDirectory, ulong memberId, ILogger log, TimeProvider time)
{
    private const int MaxExponentialRetries = 8;
    private int _retries;

    private string ConfigKey => clusterDirectory.TrimEnd('/') + "/_config";

    private string SelfKey => clusterDirectory.TrimEnd('/') + "/" + memberId.ToString("x", CultureInfo.InvariantCulture);

    private string SelfName => memberId.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Registers this member with <paramref name="selfPeers"/> and returns the initial cluster once it is complete.</summary>
    public async Task<string> JoinClusterAsync(string selfPeers, CancellationToken ct)
    {
        await CheckClusterAsync(ct).ConfigureAwait(false);
        if (await registry.CreateAsync(SelfKey, selfPeers, ct).ConfigureAwait(false) is not { } created)
        {
            throw new DiscoveryFailedException(DiscoveryFailedException.DuplicateId);
        }
        // The registration is seen through a watch from its own index, as etcd's member confirms it.
        await registry.WaitAsync(SelfKey, created.CreatedIndex, recursive: false, ct).ConfigureAwait(false);
        var (nodes, size, index) = await CheckClusterAsync(ct).ConfigureAwait(false);
        var all = await WaitNodesAsync(nodes, size, index, ct).ConfigureAwait(false);
        return NodesToCluster(all, size);
    }

    private async Task<(List<RegistryNode> Nodes, int Size, ulong Index)> CheckClusterAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var sizeNode = await registry.GetAsync(ConfigKey + "/size", ct).ConfigureAwait(false)
                    ?? throw new DiscoveryFailedException(DiscoveryFailedException.SizeNotFound);
                if (!int.TryParse(sizeNode.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    throw new DiscoveryFailedException(DiscoveryFailedException.BadSizeKey);
                }
                var (children, index) = await registry.ListAsync(clusterDirectory, ct).ConfigureAwait(false);
                var nodes = children.Where(node => node.BaseName != "_config").OrderBy(node => node.CreatedIndex).ToList();
                for (var i = 0; i < nodes.Count; i++)
                {
                    if (nodes[i].BaseName == SelfName)
                    {
                        break;
                    }
                    if (i >= size - 1)
                    {
                        throw new DiscoveryFailedException(DiscoveryFailedException.FullCluster);
                    }
                }
                return (nodes, size, index);
            }
            catch (RegistryUnreachableException e)
            {
                log.LogWarning("failed to get from discovery server {discovery-url} {error}", clusterDirectory, e.Message);
                await BackOffAsync("cluster status check", ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<List<RegistryNode>> WaitNodesAsync(List<RegistryNode> nodes, int size, ulong index, CancellationToken ct)
    {
        while (true)
        {
            var all = nodes.Take(size).ToList();
            foreach (var node in all)
            {
                if (node.BaseName == SelfName)
                {
                    log.LogInformation("found self from discovery server {discovery-url} {self}", clusterDirectory, SelfName);
                }
                else
                {
                    log.LogInformation("found peer from discovery server {discovery-url} {peer}", clusterDirectory, node.BaseName);
                }
            }
            try
            {
                var waitIndex = index + 1;
                while (all.Count < size)
                {
                    log.LogInformation("found peers from discovery server; waiting for more {discovery-url} {found-peers} {needed-peers}",
                        clusterDirectory, all.Count, size - all.Count);
                    var next = await registry.WaitAsync(clusterDirectory, waitIndex, recursive: true, ct).ConfigureAwait(false);
                    waitIndex = next.ModifiedIndex + 1;
                    log.LogInformation("found peer from discovery server {discovery-url} {peer}", clusterDirectory, next.BaseName);
                    all.Add(next);
                }
                log.LogInformation("found all needed peers from discovery server {discovery-url} {found-peers}", clusterDirectory, all.Count);
                return all;
            }
            catch (RegistryUnreachableException)
            {
                await BackOffAsync("waiting for other nodes", ct).ConfigureAwait(false);
                (nodes, size, index) = await CheckClusterAsync(ct).ConfigureAwait(false);
            }
        }
    }

    private async Task BackOffAsync(string step, CancellationToken ct)
    {
        _retries++;
        var backoff = TimeSpan.FromSeconds(1 << Math.Min(_retries, MaxExponentialRetries));
        log.LogInformation("retry connecting to discovery service {url} {reason} {backoff}", clusterDirectory, step, backoff);
        await Task.Delay(backoff, time, ct).ConfigureAwait(false);
    }

    /// <summary>The registrations' values joined, checked as etcd checks them (valid URLs, one entry per name).</summary>
    private static string NodesToCluster(IReadOnlyList<RegistryNode> nodes, int size)
    {
        var cluster = string.Join(',', nodes.Select(node => node.Value));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in cluster.Split(','))
        {
            var separator = pair.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || !Uri.TryCreate(pair[(separator + 1)..], UriKind.Absolute, out _))
            {
                throw new DiscoveryFailedException(DiscoveryFailedException.InvalidUrl);
            }
            names.Add(pair[..separator]);
        }
        if (names.Count != size)
        {
            throw new DiscoveryFailedException(DiscoveryFailedException.DuplicateName);
        }
        return cluster;
    }
}
