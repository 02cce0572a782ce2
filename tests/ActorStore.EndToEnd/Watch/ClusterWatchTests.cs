using Grpc.Net.Client;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// Watches on a three-member cluster: watchers on both followers and on the leader while writers go through every
/// member; then the leader is killed, its watcher resumes on a follower where it left off, and writing goes on.
/// Every recording must keep every guarantee against the history read back. The killed member is restarted at the end.
/// </summary>
[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class ClusterWatchTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(15);

    private readonly SharedClusters _clusters;
    private readonly ITestOutputHelper _output;

    public ClusterWatchTests(SharedClusters clusters, ITestOutputHelper output)
    {
        _clusters = clusters;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Watchers_on_followers_and_one_resuming_after_the_leader_dies_miss_nothing(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var leader = await cluster.LeaderAsync();
        var followers = cluster.Members.Where(member => member != leader).ToArray();
        var connections = cluster.Members.ToDictionary(member => member, member => GrpcChannel.ForAddress(member.ClientUrl));
        var prefix = $"cw{Guid.NewGuid():N}"[..10] + "/";
        var everything = WatchSpec.Prefix(prefix, prevKv: true);
        var watchers = new List<(string Name, GrpcWatcher Watcher)>();
        var leaderSegments = new List<WatchSegment>();
        GrpcWatcher? onLeader = null;
        try
        {
            var baseRevision = await WriteHistoryReader.CurrentRevisionAsync(connections[leader]);
            var workload = new WatchWorkload(cluster.Members.Select(member => connections[member]).ToArray(), prefix);
            watchers.Add(("follower 1, prefix+prev_kv", await GrpcWatcher.StartAsync(connections[followers[0]], everything, 0)));
            watchers.Add(("follower 2, range k2..k5 from base", await GrpcWatcher.StartAsync(connections[followers[1]], new WatchSpec(workload.Key(2), workload.Key(5)), baseRevision + 1)));
            watchers.Add(("follower 2, nodelete", await GrpcWatcher.StartAsync(connections[followers[1]], WatchSpec.Prefix(prefix, noDelete: true), 0)));
            onLeader = await GrpcWatcher.StartAsync(connections[leader], everything, 0);

            await workload.RunAsync(writers: 3, opsPerWriter: 20, seed: 7);
            var beforeKill = await WriteHistoryReader.CurrentRevisionAsync(connections[followers[0]]);
            await onLeader.WaitForRevisionAsync(beforeKill, TimeSpan.FromSeconds(5));

            await leader.KillHardAsync();
            leaderSegments.Add(await onLeader.StopAsync());
            _output.WriteLine($"{kind}: leader {leader.Name} killed; its watcher had seen up to {onLeader.LastEventRevision} of {beforeKill}");
            await cluster.LeaderAsync();
            onLeader = await GrpcWatcher.StartAsync(connections[followers[0]], everything, onLeader.LastEventRevision + 1);

            var survivors = new WatchWorkload(followers.Select(member => connections[member]).ToArray(), prefix);
            await survivors.RunAsync(writers: 2, opsPerWriter: 20, seed: 11);
            var lastRevision = await WriteHistoryReader.CurrentRevisionAsync(connections[followers[1]]);
            watchers.Add(("follower 1, from base after the kill", await GrpcWatcher.StartAsync(connections[followers[0]], everything, baseRevision + 1)));

            var history = await WriteHistoryReader.ReadAsync(connections[followers[1]], WatchSpec.Prefix(prefix), baseRevision, lastRevision);
            _output.WriteLine($"{kind}: revisions {baseRevision + 1}..{lastRevision}, {history.Events.Count()} events; failed writes {workload.Failures} before, {survivors.Failures} after the kill");
            Assert.True(survivors.Successes > 0, "no write succeeded after the leader was killed");

            var recorded = new List<RecordedWatch>();
            foreach (var (name, watcher) in watchers.Append(("resumed after the leader died", onLeader)))
            {
                await watcher.WaitForRevisionAsync(WatchHistoryChecker.LastWantedRevision(history, watcher.Spec, watcher.StartRevision), CatchUp);
                var segment = await watcher.StopAsync();
                IReadOnlyList<WatchSegment> segments = watcher == onLeader ? [.. leaderSegments, segment] : [segment];
                recorded.Add(new RecordedWatch(name, watcher.Spec, segments, Complete: true));
            }
            var violations = WatchHistoryChecker.CheckAll(history, recorded);
            Assert.True(violations.Count == 0, $"{violations.Count} violations:\n{string.Join('\n', violations.Take(30))}");
        }
        finally
        {
            if (onLeader is not null)
            {
                await onLeader.DisposeAsync();
            }
            foreach (var (_, watcher) in watchers)
            {
                await watcher.DisposeAsync();
            }
            foreach (var connection in connections.Values)
            {
                connection.Dispose();
            }
            await cluster.RestoreAsync(leader);
        }
    }
}
