using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// A cluster of members (three by default) bootstrapped statically, as users start one: etcd's --initial-cluster, a
/// token of its own and --initial-cluster-state new, run by ActorStore or by real etcd. Members are placed on free
/// 127.0.0.1 ports unless the caller places them elsewhere (see <see cref="MemberPlacement"/>).
/// Members can be killed, restarted on the same data dir, added (with etcdctl member add) and removed.
/// Disposing kills every process and deletes every data dir.
/// </summary>
public sealed partial class ClusterNodes : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(20);

    // Membership changes are refused for a few seconds after start-up or a restart (etcd's strict reconfig check
    // wants every voter connected for a while): these answers mean "try again", not "no".
    private static readonly string[] ReconfigureLater =
    [
        "unhealthy cluster",
        "not enough started members",
        "leader changed",
        "request timed out",
    ];

    private readonly TempDir _dir = new();
    private readonly List<ClusterMember> _members = [];
    private readonly List<ClusterMember> _removed = [];
    private readonly ClusterSpec _spec;
    private readonly Func<string, MemberPlacement> _place;

    private ClusterNodes(MemberKind kind, ClusterSpec spec)
    {
        Kind = kind;
        _spec = spec;
        _place = spec.Place ?? new LoopbackPlacements().Place;
        Token = "actorstore-e2e-" + Guid.NewGuid().ToString("N")[..12];
    }

    public MemberKind Kind { get; }
    public string Token { get; }

    /// <summary>The members in the cluster (removed ones are gone from here), in the order they were started or added.</summary>
    public IReadOnlyList<ClusterMember> Members => _members;

    public ClusterMember this[int index] => _members[index];

    public IReadOnlyList<ClusterMember> Running => _members.Where(member => member.IsRunning).ToArray();

    /// <summary>Client URLs of every member.</summary>
    public IReadOnlyList<string> Endpoints => _members.Select(member => member.ClientUrl).ToArray();

    /// <summary>etcdctl with --endpoints naming every running member.</summary>
    public Etcdctl Etcdctl => EtcdctlFor(Running);

    public static Etcdctl EtcdctlFor(IEnumerable<ClusterMember> members) =>
        new(string.Join(',', members.Select(member => member.ClientUrl)));

    public static Task<ClusterNodes> StartAsync(MemberKind kind, int size = 3, params string[] extraArgs) =>
        StartAsync(kind, new ClusterSpec { Size = size, ExtraArgs = extraArgs });

    /// <summary>Starts members m1..m<paramref name="size"/> where <paramref name="place"/> puts each of them.</summary>
    public static Task<ClusterNodes> StartAsync(
        MemberKind kind, Func<string, MemberPlacement> place, int size, IReadOnlyList<string> extraArgs) =>
        StartAsync(kind, new ClusterSpec { Size = size, ExtraArgs = extraArgs, Place = place });

    /// <summary>Starts members m1..m<c>spec.Size</c> as <paramref name="spec"/> says.</summary>
    public static async Task<ClusterNodes> StartAsync(MemberKind kind, ClusterSpec spec)
    {
        var cluster = new ClusterNodes(kind, spec);
        var size = spec.Size;
        try
        {
            var placed = Enumerable.Range(1, size).Select(i => (Name: "m" + i, Placement: cluster._place("m" + i))).ToArray();
            var initialCluster = string.Join(',', placed.Select(p => $"{p.Name}={spec.PeerScheme}://{p.Placement.Host}:{p.Placement.PeerPort}"));
            foreach (var (name, placement) in placed)
            {
                cluster._members.Add(cluster.NewMember(name, placement, initialCluster, "new"));
            }
            foreach (var member in cluster._members)
            {
                member.Launch();
            }
            await Task.WhenAll(cluster._members.Select(member => member.WaitHealthyAsync(StartTimeout)));
            await cluster.LeaderAsync();
            return cluster;
        }
        catch (Exception e)
        {
            var logs = cluster.Logs();
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"{kind} cluster of {size} did not start: {e.Message}\n{logs}", e);
        }
    }

    public Task KillHardAsync(int index) => _members[index].KillHardAsync();

    /// <summary>SIGTERM to one member: it shuts down the way etcd does on `systemctl stop`.</summary>
    public Task StopAsync(int index) => _members[index].StopAsync();

    /// <summary>Starts a killed or stopped member again with its flags and data dir, and waits until it is healthy.</summary>
    public Task RestartAsync(int index) => _members[index].RestartAsync(StartTimeout);

    /// <summary>Brings back a member a test killed, if it is down, and waits until every member holds the same log.</summary>
    public async Task RestoreAsync(ClusterMember member)
    {
        if (!member.IsRunning)
        {
            await member.RestartAsync(StartTimeout);
            await WaitForSameRaftIndexAsync();
        }
    }

    /// <summary>`endpoint status` of every running member, or null when etcdctl could not ask all of them.</summary>
    public async Task<IReadOnlyList<EndpointStatus>?> TryStatusAsync()
    {
        var result = await Etcdctl.RunAsync("endpoint", "status", "-w", "json");
        return result.ExitCode == 0 ? EndpointStatus.ParseAll(result.StdOut) : null;
    }

    /// <summary>Waits until every running member names the same leader and that leader is one of them.</summary>
    public async Task<ClusterMember> LeaderAsync(TimeSpan? timeout = null)
    {
        var statuses = await Eventually.GetAsync(
            async () => await TryStatusAsync() is { } all && HaveOneLeader(all) ? all : null,
            timeout ?? SettleTimeout,
            () => "one leader named by every running member\n" + Logs());
        var leader = statuses.Single(status => status.IsLeader);
        return _members.Single(member => member.ClientUrl == leader.Endpoint);
    }

    /// <summary>
    /// Waits until every running member agrees on the leader and reports the same raft index, all of it applied:
    /// then every member has applied every write acknowledged so far.
    /// </summary>
    public Task<IReadOnlyList<EndpointStatus>> WaitForSameRaftIndexAsync(TimeSpan? timeout = null) =>
        Eventually.GetAsync(
            async () => await TryStatusAsync() is { } all && HaveOneLeader(all)
                && all.All(status => status.RaftIndex == all[0].RaftIndex && status.RaftAppliedIndex == status.RaftIndex)
                    ? all
                    : null,
            timeout ?? SettleTimeout,
            () => "the same raft index on every running member\n" + Logs());

    public async Task<IReadOnlyList<ClusterMemberInfo>> MemberListAsync()
    {
        var result = CommandResult.AssertOk(await Etcdctl.RunAsync("member", "list", "-w", "json"));
        return ClusterMemberInfo.ParseAll(result.StdOut);
    }

    public async Task<ulong> IdOfAsync(ClusterMember member) =>
        (await MemberListAsync()).Single(info => info.PeerUrls.Contains(member.PeerUrl) || info.Name == member.Name).Id;

    /// <summary>
    /// `etcdctl member add` (retried while the cluster refuses reconfiguration for now), then a member configured
    /// with the ETCD_INITIAL_CLUSTER it printed and --initial-cluster-state existing. The member is not started.
    /// </summary>
    public async Task<MemberAddition> AddMemberAsync(string name, bool learner)
    {
        var placement = _place(name);
        string[] args = ["member", "add", name, $"--peer-urls={_spec.PeerScheme}://{placement.Host}:{placement.PeerPort}", .. learner ? ["--learner"] : Array.Empty<string>()];
        var added = CommandResult.AssertOk(await ReconfigureAsync(Etcdctl, args));
        var id = Convert.ToUInt64(AddedMemberId().Match(added.StdOut).Groups[1].Value, 16);
        var initialCluster = InitialClusterLine().Match(added.StdOut) is { Success: true } line
            ? line.Groups[1].Value
            : throw new InvalidOperationException("no ETCD_INITIAL_CLUSTER in\n" + added);
        var member = NewMember(name, placement, initialCluster, "existing");
        _members.Add(member);
        return new MemberAddition(member, id, initialCluster);
    }

    /// <summary>`etcdctl member remove` through the other running members; the member leaves <see cref="Members"/>.</summary>
    public async Task<CommandResult> RemoveMemberAsync(ClusterMember member)
    {
        var id = await IdOfAsync(member);
        var others = EtcdctlFor(Running.Where(other => other != member));
        var result = await ReconfigureAsync(others, "member", "remove", id.ToString("x"));
        if (result.ExitCode == 0)
        {
            _members.Remove(member);
            _removed.Add(member);
        }
        return result;
    }

    /// <summary>Runs a membership command, again while the answer is one that means "not now".</summary>
    public static async Task<CommandResult> ReconfigureAsync(Etcdctl etcdctl, params string[] args)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (true)
        {
            var result = await etcdctl.RunAsync(args);
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline || !ReconfigureLater.Any(result.StdErr.Contains))
            {
                return result;
            }
            await Task.Delay(200);
        }
    }

    /// <summary>All members' last log lines, for failure messages.</summary>
    public string Logs() => string.Join('\n', _members.Concat(_removed).Select(member => member.OutputTail()));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_members.Concat(_removed).Select(member => member.DisposeAsync().AsTask()));
        _dir.Dispose();
    }

    private ClusterMember NewMember(string name, MemberPlacement placement, string initialCluster, string state) =>
        new(Kind, name, Path.Combine(_dir.Path, name + ".etcd"), placement, initialCluster, Token, state,
            [.. _spec.ExtraArgs, .. _spec.MemberArgs(name)], _spec.PeerScheme);

    private static bool HaveOneLeader(IReadOnlyList<EndpointStatus> statuses) =>
        statuses.Count > 0
        && statuses.All(status => status.Leader != 0 && status.Leader == statuses[0].Leader)
        && statuses.Count(status => status.IsLeader) == 1;

    [GeneratedRegex(@"Member +([0-9a-f]+) added to cluster")]
    private static partial Regex AddedMemberId();

    [GeneratedRegex("^ETCD_INITIAL_CLUSTER=\"([^\"]*)\"", RegexOptions.Multiline)]
    private static partial Regex InitialClusterLine();
}
