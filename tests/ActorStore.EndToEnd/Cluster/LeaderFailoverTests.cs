using Grpc.Net.Client;
using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// kill -9 of the leader under a write load: a new leader is elected and writes resume within seconds, every write
/// the cluster acknowledged is still there at its revision, and the killed member comes back and catches up.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LeaderFailoverTests
{
    private const string Prefix = "failover/";

    // The issue asks for writes to resume within 3 s at default timings (election timeout 1 s); the slack is for
    // a loaded two-core CI machine. The measured gap is written to the test output.
    private static readonly TimeSpan AllowedGap = TimeSpan.FromSeconds(5);

    private readonly ITestOutputHelper _output;

    public LeaderFailoverTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Killing_the_leader_under_load_loses_no_acknowledged_write(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind);
        var leader = await cluster.LeaderAsync();
        await using var writer = new FailoverWriter(cluster.Endpoints, Prefix);
        writer.Start();
        await writer.WaitForAcknowledgementsAsync(TimeSpan.Zero, 60, TimeSpan.FromSeconds(30));

        // Only puts sent once the leader is surely dead count as resumed writes; the gap is measured from the
        // moment the kill began, so it is never shorter than what a client lived through.
        var killedAt = writer.Now;
        await leader.KillHardAsync();
        var deadAt = writer.Now;
        await writer.WaitForAcknowledgementsAsync(deadAt, 60, TimeSpan.FromSeconds(30));
        await writer.StopAsync();

        var resumed = writer.FirstSentAfter(deadAt)!;
        var gap = resumed.AckedAt - killedAt;
        _output.WriteLine(
            $"{kind}: writes resumed {gap.TotalMilliseconds:F0} ms after the leader was killed (through {resumed.Endpoint}); " +
            $"longest silence {writer.LongestSilence().TotalMilliseconds:F0} ms; {writer.Acknowledged.Count} acknowledged, {writer.Failures} failed calls");
        Assert.True(gap < AllowedGap, $"writes resumed only after {gap}\n{cluster.Logs()}");

        var newLeader = await cluster.LeaderAsync();
        Assert.NotSame(leader, newLeader);

        var acknowledged = writer.Acknowledged;
        foreach (var member in cluster.Running)
        {
            AssertAllPresent(acknowledged, await ReadPrefixAsync(member, serializable: false), member.Name);
        }

        await leader.RestartAsync(ClusterNodes.StartTimeout);
        var last = CommandResult.AssertOk(await newLeader.Etcdctl.RunAsync("put", Prefix + "last", "after-restart", "-w", "json"));
        var statuses = await cluster.WaitForSameRaftIndexAsync();
        Assert.Equal(3, statuses.Count);
        Assert.Single(statuses.Select(status => status.Revision).Distinct());

        // Served from the restarted member's own state: it has caught up with everything, the last write included.
        var local = await ReadPrefixAsync(leader, serializable: true);
        AssertAllPresent(acknowledged, local, leader.Name + " after restart");
        Assert.Equal(("after-restart", KvJson.HeaderRevision(last.StdOut)), local[Prefix + "last"]);
    }

    private static void AssertAllPresent(
        IReadOnlyList<AcknowledgedWrite> acknowledged, Dictionary<string, (string Value, long ModRevision)> stored, string where)
    {
        var missing = acknowledged.Where(write => !stored.TryGetValue(write.Key, out var kv) || kv != (write.Value, write.Revision)).ToArray();
        Assert.True(
            missing.Length == 0,
            $"{where}: {missing.Length} of {acknowledged.Count} acknowledged writes are missing or changed, e.g. " +
            string.Join("; ", missing.Take(5).Select(write => $"{write.Key}@{write.Revision} (acknowledged by {write.Endpoint}): " +
                (stored.TryGetValue(write.Key, out var kv) ? $"{kv.Value}@{kv.ModRevision}" : "absent"))));
    }

    private static async Task<Dictionary<string, (string Value, long ModRevision)>> ReadPrefixAsync(ClusterMember member, bool serializable)
    {
        using var channel = GrpcChannel.ForAddress(member.ClientUrl);
        var response = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest
            {
                Key = ByteString.CopyFromUtf8(Prefix),
                RangeEnd = ByteString.CopyFromUtf8("failover0"),
                Serializable = serializable,
            },
            deadline: DateTime.UtcNow.AddSeconds(10));
        return response.Kvs.ToDictionary(kv => kv.Key.ToStringUtf8(), kv => (kv.Value.ToStringUtf8(), kv.ModRevision));
    }
}
