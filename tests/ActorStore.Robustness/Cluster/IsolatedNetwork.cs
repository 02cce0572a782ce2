using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.Robustness.Cluster;

/// <summary>
/// A network namespace per member, each joined by a veth pair to a bridge in the root namespace, on a /24 of
/// 10.213.0.0/16 that nothing on this host uses. Members reach each other through the bridge; clients in the root
/// namespace (the Go workload, etcdctl) reach every member through it too. Cutting a member off adds blackhole routes
/// between its namespace and the others' only, so clients keep reaching it. Names carry a random id, so clusters of
/// parallel runs never share one. Disposing deletes everything; whatever is left when the test host ends (see
/// <see cref="HostExit"/>) is deleted then.
/// </summary>
public sealed class IsolatedNetwork : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<string, IsolatedNetwork> Active = new();

    private static readonly IReadOnlyList<PosixSignalRegistration> TearDownAllOnExit = HostExit.Register(() =>
    {
        foreach (var network in Active.Values)
        {
            network.TearDownNow();
        }
    });

    public const int ClientPort = 2379;
    public const int PeerPort = 2380;

    private const string SubnetPrefix = "10.213.";

    private readonly string _id;
    private readonly IReadOnlyList<string> _memberNames;
    private readonly List<(string Namespace, string Address)> _blackholes = [];
    private int _subnet = -1;

    private IsolatedNetwork(IReadOnlyList<string> memberNames)
    {
        _id = Guid.NewGuid().ToString("N")[..6];
        _memberNames = memberNames;
    }

    /// <summary>The bridge in the root namespace, which holds the first address of the subnet.</summary>
    public string Bridge => "asr" + _id;

    public string Subnet => $"{SubnetPrefix}{_subnet}.0/24";

    public string NamespaceOf(string member) => $"asr-{_id}-{member}";

    public string AddressOf(string member) => $"{SubnetPrefix}{_subnet}.{Index(member) + 2}";

    /// <summary>Where a member runs: its namespace's address, etcd's usual ports, started through `ip netns exec`.</summary>
    public MemberPlacement Place(string member) =>
        new(AddressOf(member), ClientPort, PeerPort, ["ip", "netns", "exec", NamespaceOf(member)]);

    /// <summary>Creates the bridge and one namespace per member; fails with a clear reason when this host cannot.</summary>
    public static async Task<IsolatedNetwork> CreateAsync(IReadOnlyList<string> memberNames)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException(
                "The robustness tests put each member in its own network namespace (ip netns), which needs root: run them as root (CI does).");
        }
        var network = new IsolatedNetwork(memberNames);
        Active[network._id] = network;
        try
        {
            await network.CreateBridgeAsync();
            for (var i = 0; i < memberNames.Count; i++)
            {
                await network.CreateMemberNamespaceAsync(memberNames[i], i);
            }
            return network;
        }
        catch (Exception e)
        {
            await network.DisposeAsync();
            throw new InvalidOperationException(
                "Could not set up network namespaces for the robustness tests (they need root and `ip netns`): " + e.Message, e);
        }
    }

    /// <summary>Cuts <paramref name="member"/> off from every other member, both ways; clients still reach all of them.</summary>
    public async Task CutOffAsync(string member)
    {
        foreach (var other in _memberNames.Where(name => name != member))
        {
            await AddBlackholeAsync(NamespaceOf(member), AddressOf(other));
            await AddBlackholeAsync(NamespaceOf(other), AddressOf(member));
        }
    }

    /// <summary>Removes every cut: all members reach each other again.</summary>
    public async Task HealAsync()
    {
        foreach (var (ns, address) in _blackholes.ToArray())
        {
            await IpCommand.RunAsync("-n", ns, "route", "del", "blackhole", address + "/32");
            _blackholes.Remove((ns, address));
        }
    }

    /// <summary>Deletes the namespaces, veths and bridge, then checks that none of them is left.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.Run(TearDownNow);
        var namespaces = await IpCommand.TryAsync("netns", "list");
        var links = await IpCommand.TryAsync("-o", "link", "show");
        var left = (namespaces.StdOut + links.StdOut).Split('\n').Where(line => line.Contains("asr" + _id) || line.Contains($"asr-{_id}-")).ToArray();
        if (left.Length > 0)
        {
            throw new InvalidOperationException("network namespaces or links left behind:\n" + string.Join('\n', left));
        }
    }

    private async Task AddBlackholeAsync(string ns, string address)
    {
        await IpCommand.RunAsync("-n", ns, "route", "add", "blackhole", address + "/32");
        _blackholes.Add((ns, address));
    }

    /// <summary>Puts the bridge on a /24 no interface or route of this host uses, checked again once it is ours.</summary>
    private async Task CreateBridgeAsync()
    {
        await IpCommand.RunAsync("link", "add", Bridge, "type", "bridge");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(1, 255);
            var prefix = $"{SubnetPrefix}{candidate}.";
            if (await UsesAsync(prefix) > 0 || await IsOnALinkAsync(prefix + "2"))
            {
                continue;
            }
            await IpCommand.RunAsync("addr", "add", $"{prefix}1/24", "dev", Bridge);
            // Another run may have picked the same subnet at the same moment: then both see two users and move on.
            if (await UsesAsync(prefix) == 1)
            {
                _subnet = candidate;
                await IpCommand.RunAsync("link", "set", Bridge, "up");
                return;
            }
            await IpCommand.RunAsync("addr", "del", $"{prefix}1/24", "dev", Bridge);
        }
        throw new InvalidOperationException($"no free /24 under {SubnetPrefix}0.0/16");
    }

    /// <summary>How many addresses and routes of the root namespace lie under <paramref name="prefix"/> ("10.213.N.").</summary>
    private static async Task<int> UsesAsync(string prefix)
    {
        var addresses = await IpCommand.RunAsync("-4", "-o", "addr", "show");
        var routes = await IpCommand.RunAsync("-4", "route", "show", "table", "all");
        return addresses.Split('\n').Count(line => line.Contains(" " + prefix))
            + routes.Split('\n').Count(line => line.StartsWith(prefix, StringComparison.Ordinal) && !line.Contains(" proto kernel "));
    }

    /// <summary>Whether this host would reach <paramref name="address"/> directly on one of its links (not through a gateway).</summary>
    private static async Task<bool> IsOnALinkAsync(string address)
    {
        var route = await IpCommand.TryAsync("-4", "route", "get", address);
        return route.ExitCode == 0 && !route.StdOut.Contains(" via ");
    }

    private async Task CreateMemberNamespaceAsync(string member, int index)
    {
        var ns = NamespaceOf(member);
        var (hostSide, memberSide) = (HostVeth(index), $"asr{_id}n{index}");
        await IpCommand.RunAsync("netns", "add", ns);
        await IpCommand.RunAsync("link", "add", hostSide, "type", "veth", "peer", "name", memberSide);
        await IpCommand.RunAsync("link", "set", hostSide, "master", Bridge, "up");
        await IpCommand.RunAsync("link", "set", memberSide, "netns", ns);
        await IpCommand.RunAsync("-n", ns, "addr", "add", AddressOf(member) + "/24", "dev", memberSide);
        await IpCommand.RunAsync("-n", ns, "link", "set", memberSide, "up");
        await IpCommand.RunAsync("-n", ns, "link", "set", "lo", "up");
    }

    private string HostVeth(int index) => $"asr{_id}h{index}";

    private int Index(string member)
    {
        var index = _memberNames.ToList().IndexOf(member);
        return index >= 0 ? index : throw new ArgumentException($"{member} is not a member of this network", nameof(member));
    }

    /// <summary>Deletes everything this network may have created, ignoring what does not exist (also from the exit hook).</summary>
    private void TearDownNow()
    {
        // Deleting the host side of a veth pair deletes both ends; the namespace would take its end with it only
        // once its last process is gone.
        for (var i = 0; i < _memberNames.Count; i++)
        {
            IpCommand.RunQuietly("link", "del", HostVeth(i));
            IpCommand.RunQuietly("netns", "del", NamespaceOf(_memberNames[i]));
        }
        IpCommand.RunQuietly("link", "del", Bridge);
        Active.TryRemove(_id, out _);
    }
}
