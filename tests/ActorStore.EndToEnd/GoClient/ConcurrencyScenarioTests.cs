using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.GoClient;

/// <summary>
/// Go's clientv3 concurrency package (sessions, elections with observers, mutexes, a holder that stops renewing) and
/// the v3lock/v3election gRPC services, driven by one fixed scenario: the transcript must be etcd 3.4.23's, line for
/// line, on one member and on three.
/// </summary>
public static class ConcurrencyScenario
{
    /// <summary>What the scenario prints against etcd 3.4.23.</summary>
    public const string EtcdTranscript = """
        leader before any campaign: election: no leader
        a campaigned: leader key under prefix true
        b waits while a leads: true
        leader value after proclaim: alpha-2
        b leads after a resigned: rev after a's true
        a proclaims after resigning: election: not leader
        leader value now: beta
        leader after b's session closed: election: no leader
        observed leaders: alpha -> alpha-2
        second locker while the first holds: context deadline exceeded
        second locker waits: true
        second locker gets it after unlock, later revision: true
        lock freed by the dead holder's lease expiry: waited at least 1s true, under 6s true
        v3lock key is name/lease-hex: true
        v3lock second locker: true
        v3lock with an unknown lease: rpc error: code = Unknown desc = etcdserver: requested lease not found
        v3election leader with no candidate: rpc error: code = Unknown desc = election: no leader
        v3election campaign: name /scenario/grpc-election, key is name/lease-hex true, lease matches true
        v3election leader value: two
        v3election observe starts with: two
        v3election proclaim after resign: rpc error: code = Unknown desc = election: not leader
        done

        """;

    public static async Task AssertEtcdTranscriptAsync(IEnumerable<string> clientUrls)
    {
        var program = await GoProgram.BuildAsync(GoProgram.ConcurrencyScenario);
        var endpoints = string.Join(',', clientUrls.Select(url => new Uri(url).Authority));
        var run = await ProcessRunner.RunAsync(program, ["-endpoints", endpoints], timeout: TimeSpan.FromSeconds(60));
        Assert.True(run.ExitCode == 0, $"scenario failed (exit {run.ExitCode}):\n{run.StdOut}\n{run.StdErr}");
        Assert.Equal(EtcdTranscript.ReplaceLineEndings("\n"), run.StdOut);
    }
}

[Collection(WatchLeaseLockCollection.Name)]
public sealed class ConcurrencyScenarioTests(PairFixture pair)
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public Task Go_concurrency_recipes_and_lock_and_election_services_behave_as_etcds_on_one_member(MemberKind kind) =>
        ConcurrencyScenario.AssertEtcdTranscriptAsync([(kind == MemberKind.Etcd ? pair.Etcd : pair.ActorStore).ClientUrl]);
}

[Collection(WatchLeaseLockClusterCollection.Name)]
public sealed class ClusterConcurrencyScenarioTests(SharedClusters clusters)
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Go_concurrency_recipes_and_lock_and_election_services_behave_as_etcds_on_three_members(MemberKind kind)
    {
        var cluster = await clusters.GetAsync(kind);
        await ConcurrencyScenario.AssertEtcdTranscriptAsync(cluster.Endpoints);
    }
}
