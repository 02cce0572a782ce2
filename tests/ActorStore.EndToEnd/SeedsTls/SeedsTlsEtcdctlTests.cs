using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Concurrency;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.Lease;
using Xunit;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// The seeds' TLS deployment end to end: certificates from `actorstore certs`, three members with client and peer
/// mutual TLS, and etcdctl with --cacert/--cert/--key. Every command line runs against a real etcd 3.4.23 cluster on
/// the same certificates and against ActorStore, and must answer the same (see <see cref="SeedsOutput"/>).
/// </summary>
[Collection(SeedsTlsCollection.Name)]
public sealed partial class SeedsTlsEtcdctlTests(SeedsTlsClusters clusters)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly Func<SeedsTlsCluster, Etcdctl> AllMembers = cluster => cluster.All;

    private static Func<SeedsTlsCluster, Etcdctl> OnlyMember(int index) => cluster => cluster.Member(index);

    [Fact]
    public async Task Endpoint_health_and_status_table_on_all_three_members()
    {
        // etcdctl reports health on stderr, one line per endpoint as each answers.
        var health = new SeedsOutput.Options { SortLines = true, WholeStdErr = true };
        var (etcd, ours) = await SeedsOutput.SameAsync(clusters, AllMembers, health, "endpoint", "health");
        Assert.Equal(3, Regex.Matches(etcd.StdErr, " is healthy: successfully committed proposal").Count);
        Assert.Equal(3, Regex.Matches(ours.StdErr, " is healthy: successfully committed proposal").Count);

        // Which member leads is the cluster's own business: the column is compared as "one leader, two followers".
        var status = new SeedsOutput.Options
        {
            VaryingColumns = ["DB SIZE", "IS LEADER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX"],
        };
        var (etcdTable, ourTable) = await SeedsOutput.SameAsync(clusters, AllMembers, status, "endpoint", "status", "-w", "table");
        Assert.Equal(LeaderColumn(etcdTable.StdOut), LeaderColumn(ourTable.StdOut));

        await SeedsOutput.SameAsync(clusters, OnlyMember(1), health, "endpoint", "health");
    }

    [Fact]
    public async Task Member_list_plain_and_as_a_table()
    {
        var sorted = new SeedsOutput.Options { SortLines = true };
        var (_, ours) = await SeedsOutput.SameAsync(clusters, AllMembers, sorted, "member", "list");
        Assert.Equal(3, ours.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(clusters.ActorStore.SecureUrls, url => Assert.Contains(url, ours.StdOut));
        await SeedsOutput.SameAsync(clusters, OnlyMember(2), sorted, "member", "list", "-w", "table");
    }

    [Fact]
    public async Task Put_and_get_through_every_member()
    {
        await AlignRevisionsAsync();
        for (var i = 0; i < 3; i++)
        {
            await SeedsOutput.SameAsync(clusters, OnlyMember(i), "put", $"seeds/kv/{i}", $"written-through-m{i + 1}");
        }
        await SeedsOutput.SameAsync(clusters, OnlyMember(0), "put", "seeds/kv/0", "again", "--prev-kv");
        for (var i = 0; i < 3; i++)
        {
            await SeedsOutput.SameAsync(clusters, OnlyMember(i), "get", "seeds/kv/", "--prefix");
        }
        await SeedsOutput.SameAsync(clusters, AllMembers, "get", "seeds/kv/", "--prefix", "-w", "json");
        await SeedsOutput.SameAsync(clusters, AllMembers, "get", "seeds/kv/1", "-w", "fields");
        await SeedsOutput.SameAsync(clusters, OnlyMember(2), "del", "seeds/kv/", "--prefix", "--prev-kv");
        await SeedsOutput.SameAsync(clusters, AllMembers, "get", "seeds/kv/", "--prefix", "--count-only", "-w", "json");
    }

    [Fact]
    public async Task Watch_on_one_member_sees_puts_made_through_the_others()
    {
        await AlignRevisionsAsync();
        var outputs = new Dictionary<MemberKind, string>();
        foreach (var cluster in clusters.Both)
        {
            // From the next revision: what the watch prints cannot depend on when its stream got going.
            var next = KvJson.HeaderRevision(CommandResult.AssertOk(await cluster.RunAsync(cluster.Member(0), "get", "seeds/watch", "-w", "json")).StdOut) + 1;
            await using var watch = cluster.Start(cluster.Member(0), "watch", "seeds/watch/", "--prefix", "--prev-kv", "--rev=" + next);
            CommandResult.AssertOk(await cluster.RunAsync(cluster.Member(1), "put", "seeds/watch/a", "from-m2"));
            CommandResult.AssertOk(await cluster.RunAsync(cluster.Member(2), "put", "seeds/watch/a", "from-m3"));
            CommandResult.AssertOk(await cluster.RunAsync(cluster.Member(1), "del", "seeds/watch/a"));
            // PUT key value; PUT key previous key value; DELETE key previous key value.
            await watch.WaitForLinesAsync(3 + 5 + 5, Wait);
            outputs[cluster.Kind] = watch.StdOut;
        }
        Assert.Equal(outputs[MemberKind.Etcd], outputs[MemberKind.ActorStore]);
        Assert.StartsWith("PUT\nseeds/watch/a\nfrom-m2\nPUT\nseeds/watch/a\nfrom-m2\nseeds/watch/a\nfrom-m3\nDELETE\n", outputs[MemberKind.ActorStore]);
    }

    [Fact]
    public async Task Lease_grant_put_timetolive_and_revoke()
    {
        await AlignRevisionsAsync();
        var leaseNames = clusters.Both.ToDictionary(cluster => cluster.Kind, _ => new LeaseIdNormalizer());
        var options = new SeedsOutput.Options
        {
            Extra = (kind, output) => AttachedKeys.Sort(RemainingTtl.Normalize(leaseNames[kind].Normalize(output))),
        };
        var (etcdGrant, ourGrant) = await SeedsOutput.SameAsync(clusters, OnlyMember(0), options, "lease", "grant", "600");
        var ids = new Dictionary<MemberKind, string>
        {
            [MemberKind.Etcd] = GrantedId(etcdGrant.StdOut),
            [MemberKind.ActorStore] = GrantedId(ourGrant.StdOut),
        };

        // The lease id differs by cluster: each side gets its own, the rest of the command line is the same.
        async Task SameWithLeaseAsync(Func<SeedsTlsCluster, Etcdctl> target, Func<string, string[]> args)
        {
            var etcd = await clusters.Etcd.RunAsync(target(clusters.Etcd), args(ids[MemberKind.Etcd]));
            var ours = await clusters.ActorStore.RunAsync(target(clusters.ActorStore), args(ids[MemberKind.ActorStore]));
            Assert.True(etcd.ExitCode == ours.ExitCode, $"exit code\netcd: {etcd}\nactorstore: {ours}");
            Assert.Equal(
                await SeedsOutput.NormalizeAsync(clusters.Etcd, etcd.StdOut + ErrorLine(etcd.StdErr), options),
                await SeedsOutput.NormalizeAsync(clusters.ActorStore, ours.StdOut + ErrorLine(ours.StdErr), options));
        }

        await SameWithLeaseAsync(OnlyMember(1), id => ["put", "seeds/lease/a", "leased", "--lease=" + id]);
        await SameWithLeaseAsync(OnlyMember(2), id => ["put", "seeds/lease/b", "leased", "--lease=" + id]);
        await SameWithLeaseAsync(AllMembers, id => ["lease", "timetolive", id]);
        await SameWithLeaseAsync(OnlyMember(0), id => ["lease", "timetolive", id, "--keys"]);
        await SeedsOutput.SameAsync(clusters, OnlyMember(2), options, "get", "seeds/lease/", "--prefix");
        await SameWithLeaseAsync(OnlyMember(1), id => ["lease", "revoke", id]);
        await SeedsOutput.SameAsync(clusters, OnlyMember(0), options, "get", "seeds/lease/", "--prefix", "--count-only", "-w", "simple");
        await SameWithLeaseAsync(AllMembers, id => ["lease", "timetolive", id]);
        await SameWithLeaseAsync(OnlyMember(2), id => ["lease", "revoke", id]);
    }

    [Fact]
    public async Task Lock_is_held_by_one_etcdctl_while_another_waits_and_then_passes_on()
    {
        var transcripts = new Dictionary<MemberKind, string>();
        foreach (var cluster in clusters.Both)
        {
            var leaseNames = new LeaseIdNormalizer();
            await using var first = cluster.Start(cluster.Member(0), "lock", "seeds-lock");
            var firstKey = await LockCommands.HeldKeyAsync(first, "seeds-lock", Wait);
            await using var second = cluster.Start(cluster.Member(1), "lock", "seeds-lock");
            // Nothing to poll for: the second must stay silent while the first holds the lock.
            Assert.False(await second.TryWaitForAsync(lines => lines.Count > 0, TimeSpan.FromSeconds(2)), $"{cluster.Kind}: second got the lock\n{second.Describe()}");
            var held = CommandResult.AssertOk(await cluster.RunAsync(cluster.Member(2), "get", "seeds-lock", "--prefix", "--keys-only"));

            first.Interrupt();
            var firstExit = await first.WaitForExitAsync(Wait);
            var secondKey = await LockCommands.HeldKeyAsync(second, "seeds-lock", Wait);
            Assert.NotEqual(firstKey, secondKey);
            second.Interrupt();
            var secondExit = await second.WaitForExitAsync(Wait);
            var left = CommandResult.AssertOk(await cluster.RunAsync(cluster.All, "get", "seeds-lock", "--prefix", "--keys-only"));

            // Lease ids named in the order the holders got the lock; the keys of both, listed by id, in any order.
            transcripts[cluster.Kind] = string.Join("---\n",
                $"first (exit {firstExit.ExitCode})\n{leaseNames.Normalize(firstExit.StdOut)}",
                $"second (exit {secondExit.ExitCode})\n{leaseNames.Normalize(secondExit.StdOut)}",
                $"while held, waiting\n{string.Join('\n', leaseNames.Normalize(held.StdOut).Split('\n').Order(StringComparer.Ordinal))}",
                $"left\n{left.StdOut}");
        }
        Assert.Equal(transcripts[MemberKind.Etcd], transcripts[MemberKind.ActorStore]);
    }

    [Fact]
    public async Task Etcdctl_without_a_client_certificate_is_refused_as_by_etcd()
    {
        var refusals = new Dictionary<MemberKind, CommandResult>();
        foreach (var cluster in clusters.Both)
        {
            // Trusting the CA, showing no certificate: the member ends the handshake and etcdctl's dial runs out.
            refusals[cluster.Kind] = await cluster.Member(0).RunAsync("--cacert", cluster.Pki.CaFile, "--dial-timeout=2s", "--command-timeout=3s", "get", "seeds/refused");
        }
        var (etcd, ours) = (refusals[MemberKind.Etcd], refusals[MemberKind.ActorStore]);
        Assert.NotEqual(0, etcd.ExitCode);
        Assert.True(etcd.ExitCode == ours.ExitCode, $"etcd: {etcd}\nactorstore: {ours}");
        Assert.Equal(ErrorLine(etcd.StdErr), ErrorLine(ours.StdErr));
        Assert.Equal(etcd.StdOut, ours.StdOut);
    }

    private Task AlignRevisionsAsync() =>
        RevisionAligner.AlignAsync(clusters.Etcd.Nodes[0].ClientUrl, clusters.ActorStore.Nodes[0].ClientUrl);

    private static string LeaderColumn(string table)
    {
        var rows = table.Split('\n').Where(line => line.StartsWith('|')).Select(SeedsOutput.Cells).ToList();
        var column = rows[0].ToList().IndexOf("IS LEADER");
        return string.Join(',', rows.Skip(1).Select(row => row[column]).Order(StringComparer.Ordinal));
    }

    private static string GrantedId(string output) =>
        GrantedLine().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no lease granted in\n" + output);

    private static string ErrorLine(string stderr) =>
        string.Concat(stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal)).Select(line => line + "\n"));

    [GeneratedRegex("^lease ([0-9a-f]+) granted")]
    private static partial Regex GrantedLine();
}
