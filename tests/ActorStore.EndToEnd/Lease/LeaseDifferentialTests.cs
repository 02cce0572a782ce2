using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Lease;

/// <summary>
/// `etcdctl lease` against real etcd and against ActorStore: each scenario runs on both and the transcripts must be
/// equal once lease ids are named in order of appearance, remaining TTLs are checked for plausibility and attached keys are
/// sorted.
/// </summary>
[Collection(WatchLeaseLockCollection.Name)]
public sealed class LeaseDifferentialTests
{
    private readonly PairFixture _pair;

    public LeaseDifferentialTests(PairFixture pair)
    {
        _pair = pair;
    }

    [Fact]
    public async Task Grant_list_time_to_live_keep_alive_once_and_revoke()
    {
        await SameAsync(async (node, t) =>
        {
            var first = await LeaseCommands.GrantAsync(t, node.Etcdctl, "300");
            await t.RunAsync(node.Etcdctl, "lease", "grant", "400", "-w", "json");
            var third = await LeaseCommands.GrantAsync(t, node.Etcdctl, "500");
            await t.RunAsync(node.Etcdctl, "lease", "list");
            await t.RunAsync(node.Etcdctl, "lease", "list", "-w", "json");
            await t.RunAsync(node.Etcdctl, "put", "ld/a", "1", "--lease=" + first);
            await t.RunAsync(node.Etcdctl, "put", "ld/b", "2", "--lease=" + first);
            await t.RunAsync(node.Etcdctl, "put", "ld/c", "3", "--lease=" + third);
            await t.RunAsync(node.Etcdctl, "get", "ld/", "--prefix", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", first);
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", first, "--keys");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", first, "--keys", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", third, "--keys", "-w", "fields");
            await t.RunAsync(node.Etcdctl, "lease", "keep-alive", "--once", first);
            await t.RunAsync(node.Etcdctl, "lease", "keep-alive", "--once", third, "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "revoke", first);
            await t.RunAsync(node.Etcdctl, "get", "ld/", "--prefix", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", first);
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", first, "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "revoke", first);
            await t.RunAsync(node.Etcdctl, "lease", "keep-alive", "--once", first);
            await t.RunAsync(node.Etcdctl, "lease", "list");
            await t.RunAsync(node.Etcdctl, "lease", "revoke", third, "-w", "json");
            await t.RunAsync(node.Etcdctl, "get", "ld/", "--prefix", "--keys-only");
        });
    }

    [Fact]
    public async Task Unknown_leases_bad_ttls_and_the_minimum_ttl()
    {
        await SameAsync(async (node, t) =>
        {
            await t.RunAsync(node.Etcdctl, "lease", "revoke", "1234");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", "1234");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", "1234", "--keys", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "keep-alive", "--once", "1234");
            await t.RunAsync(node.Etcdctl, "lease", "keep-alive", "1234");
            await t.RunAsync(node.Etcdctl, "put", "lu/a", "v", "--lease=1234");
            await t.RunAsync(node.Etcdctl, "put", "lu/a", "v", "--lease=zz");
            await t.RunAsync(node.Etcdctl, "get", "lu/a", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "grant", "abc");
            await t.RunAsync(node.Etcdctl, "lease", "grant");
            await t.RunAsync(node.Etcdctl, "lease", "revoke");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive");
            await t.RunAsync(node.Etcdctl, "lease", "grant", "9999999999999");
            // etcd raises a TTL below its minimum (1.5 election timeouts, rounded up: 2 s) to the minimum.
            foreach (var ttl in new[] { "0", "1", "2" })
            {
                var id = await LeaseCommands.GrantAsync(t, node.Etcdctl, ttl);
                await t.RunAsync(node.Etcdctl, "lease", "revoke", id);
            }
            var json = await t.RunAsync(node.Etcdctl, "lease", "grant", "1", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "revoke", DecimalToHex(json.StdOut));
        });
    }

    [Fact]
    public async Task Keys_disappear_when_their_lease_expires()
    {
        var elapsed = new Dictionary<MemberKind, TimeSpan>();
        await SameAsync(async (node, t) =>
        {
            var id = await LeaseCommands.GrantAsync(t, node.Etcdctl, "2");
            await t.RunAsync(node.Etcdctl, "put", "le/a", "1", "--lease=" + id);
            await t.RunAsync(node.Etcdctl, "put", "le/b", "2", "--lease=" + id);
            await t.RunAsync(node.Etcdctl, "put", "le/c", "3");
            var clock = Stopwatch.StartNew();
            await t.RunAsync(node.Etcdctl, "get", "le/", "--prefix", "--keys-only");
            var deadline = TimeSpan.FromSeconds(6);
            while (clock.Elapsed < deadline)
            {
                var left = CommandResult.AssertOk(await node.Etcdctl.RunAsync("get", "le/", "--prefix", "--keys-only"));
                if (left.StdOut == "le/c\n\n")
                {
                    break;
                }
                await Task.Delay(100);
            }
            elapsed[node.Kind] = clock.Elapsed;
            t.Note(clock.Elapsed < deadline ? "the leased keys are gone" : "the leased keys are still there after " + deadline);
            // One revision deleted both keys.
            await t.RunAsync(node.Etcdctl, "get", "le/", "--prefix", "-w", "json");
            await t.RunAsync(node.Etcdctl, "lease", "timetolive", id, "--keys");
            await t.RunAsync(node.Etcdctl, "lease", "revoke", id);
        });
        // Not long before the TTL (the first read came after the put) and within a few seconds of it.
        Assert.All(elapsed, pair => Assert.True(pair.Value > TimeSpan.FromSeconds(1), $"{pair.Key}: keys gone after {pair.Value}"));
    }

    [Fact]
    public async Task Keep_alive_renews_a_lease_every_third_of_its_ttl()
    {
        await SameAsync(async (node, t) =>
        {
            var id = await LeaseCommands.GrantAsync(t, node.Etcdctl, "3");
            await t.RunAsync(node.Etcdctl, "put", "lk/a", "1", "--lease=" + id);
            await using (var keepAlive = EtcdctlProcess.Start(node.Etcdctl, "lease", "keep-alive", id))
            {
                // Three renewals take two seconds; the lease would have 1 s left without them... and 4 s later none.
                var renewed = await keepAlive.TryWaitForAsync(lines => lines.Count >= 3, TimeSpan.FromSeconds(6));
                if (!renewed && node.Kind == MemberKind.Etcd)
                {
                    throw new TimeoutException(keepAlive.Describe());
                }
                await Task.Delay(1500);
                t.Add("etcdctl lease keep-alive (first three lines)", new CommandResult(0, string.Concat(keepAlive.Lines.Take(3).Select(line => line + "\n")), ""));
                await t.RunAsync(node.Etcdctl, "get", "lk/a", "--print-value-only");
                await t.RunAsync(node.Etcdctl, "lease", "timetolive", id);
            }
            await t.RunAsync(node.Etcdctl, "lease", "revoke", id);
            await t.RunAsync(node.Etcdctl, "get", "lk/a", "--keys-only");
        });
    }

    /// <summary>Revokes leftover leases and aligns revisions, then runs the scenario on etcd and on ActorStore and compares.</summary>
    private async Task SameAsync(Func<MemberNode, Transcript, Task> scenario)
    {
        await LeaseCommands.RevokeAllAsync(_pair.Etcd);
        await LeaseCommands.RevokeAllAsync(_pair.ActorStore);
        await RevisionAligner.AlignAsync(_pair);
        var etcdIds = new LeaseIdNormalizer();
        var ourIds = new LeaseIdNormalizer();
        await StreamingDifferential.SameAsync(
            _pair,
            async (node, _) =>
            {
                var transcript = new Transcript();
                await scenario(node, transcript);
                return transcript.ToResult();
            },
            text => etcdIds.Normalize(AttachedKeys.Sort(RemainingTtl.Normalize(text))),
            text => ourIds.Normalize(AttachedKeys.Sort(RemainingTtl.Normalize(text))));
    }

    private static string DecimalToHex(string json)
    {
        var match = Regex.Match(json, "\"ID\":(\\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value).ToString("x") : "0";
    }
}
