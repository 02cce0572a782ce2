using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.Robustness.Cluster;

/// <summary>
/// A three-member cluster (ActorStore or etcd, etcd's default timings) whose members each run in their own network
/// namespace (see <see cref="IsolatedNetwork"/>), so one can be cut off from its peers while clients still reach it.
/// Disposing kills the members, deletes their data dirs, then the network.
/// </summary>
public sealed class IsolatedCluster : IAsyncDisposable
{
    private static readonly string[] MemberNames = ["m1", "m2", "m3"];

    private IsolatedCluster(IsolatedNetwork network, ClusterNodes nodes)
    {
        Network = network;
        Nodes = nodes;
    }

    public IsolatedNetwork Network { get; }
    public ClusterNodes Nodes { get; }
    public IReadOnlyList<ClusterMember> Members => Nodes.Members;

    public static async Task<IsolatedCluster> StartAsync(MemberKind kind)
    {
        var network = await IsolatedNetwork.CreateAsync(MemberNames);
        try
        {
            var nodes = await ClusterNodes.StartAsync(kind, network.Place, MemberNames.Length, []);
            return new IsolatedCluster(network, nodes);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    public Task<ClusterMember> LeaderAsync() => Nodes.LeaderAsync();

    /// <summary>Cuts <paramref name="member"/> off from the other members (not from clients).</summary>
    public Task CutOffAsync(ClusterMember member) => Network.CutOffAsync(member.Name);

    public Task HealAsync() => Network.HealAsync();

    /// <summary>The members as the workload's -members flag names them: m1=http://10.213.N.2:2379,...</summary>
    public string MemberEndpoints => string.Join(',', Members.Select(member => $"{member.Name}={member.ClientUrl}"));

    public string Logs(int lines = 25) => string.Join('\n', Members.Select(member => member.OutputTail(lines)));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Nodes.DisposeAsync();
        }
        finally
        {
            await Network.DisposeAsync();
        }
    }
}
