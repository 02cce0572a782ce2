using System.Text.Json;
using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Upkeep;

/// <summary>
/// The seed's quota scenario on ActorStore and on real etcd 3.4.23 side by side: with a small --quota-backend-bytes,
/// overwriting one large key fills the backend until NOSPACE is raised; then writes fail while reads and deletes
/// work, and compaction, defragment and `etcdctl alarm disarm` recover. The number of writes that fit differs (bbolt
/// pages against etcd's accounting), so each step's outcome is compared, not the revisions.
/// </summary>
public sealed partial class QuotaDifferentialTests
{
    private const int QuotaBytes = 1024 * 1024;
    private static readonly string LargeValue = new('v', 64 * 1024);

    [Fact]
    public async Task Writes_past_the_quota_raise_nospace_and_compaction_defrag_and_disarm_recover()
    {
        var (actorStore, etcd) = await PairFixture.StartBothAsync(kind =>
            MemberNode.StartAsync(kind, "--quota-backend-bytes", QuotaBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using (actorStore)
        await using (etcd)
        {
            var nodes = new[] { etcd, actorStore };
            foreach (var node in nodes)
            {
                CommandResult.AssertOk(await node.Etcdctl.RunAsync("put", "other", "small"));
                var fitted = await FillUntilRefusedAsync(node.Etcdctl);
                Assert.True(fitted is > 3 and < 40, $"{node.Kind}: {fitted} writes of 64 KiB fitted in 1 MiB");
            }

            // The alarm is raised through the log: listed by the member, with etcd's names.
            await SameOutcomeAsync(nodes, "alarm", "list");
            Assert.Matches("^memberID:[0-9a-f]+ alarm:NOSPACE \n$", (await actorStore.Etcdctl.RunAsync("alarm", "list")).StdOut);
            await SameOutcomeAsync(nodes, "put", "tiny", "x");
            await SameOutcomeAsync(nodes, "txn", "--interactive=false");
            await SameOutcomeAsync(nodes, "lease", "grant", "60");
            await SameOutcomeAsync(nodes, "get", "other");
            await SameOutcomeAsync(nodes, "del", "other");

            var sizesBefore = new Dictionary<MemberKind, long>();
            foreach (var node in nodes)
            {
                var (revision, dbSize, _) = await StatusAsync(node.Etcdctl);
                sizesBefore[node.Kind] = dbSize;
                Assert.True(dbSize >= QuotaBytes * 3L / 4, $"{node.Kind}: dbSize {dbSize} before compaction");
                CommandResult.AssertOk(await node.Etcdctl.RunAsync("compaction", "--physical", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            // Compaction alone gives nothing back: the alarm stays, writes still fail.
            await SameOutcomeAsync(nodes, "put", "tiny", "x");
            await SameOutcomeAsync(nodes, "defrag");
            foreach (var node in nodes)
            {
                var (_, dbSize, inUse) = await StatusAsync(node.Etcdctl);
                Assert.True(dbSize < sizesBefore[node.Kind] / 2, $"{node.Kind}: dbSize {dbSize} after defrag, {sizesBefore[node.Kind]} before");
                Assert.True(inUse <= dbSize, $"{node.Kind}: in use {inUse} of {dbSize}");
            }
            await SameOutcomeAsync(nodes, "alarm", "disarm");
            await SameOutcomeAsync(nodes, "alarm", "list");
            await SameOutcomeAsync(nodes, "put", "tiny", "x");
            await SameOutcomeAsync(nodes, "get", "tiny", "--print-value-only");

            var (_, ourSize, ourInUse) = await StatusAsync(actorStore.Etcdctl);
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(actorStore.ClientUrl + "/metrics");
            Assert.Equal(ourSize, Gauge(metrics, "etcd_mvcc_db_total_size_in_bytes"));
            Assert.Equal(ourInUse, Gauge(metrics, "etcd_mvcc_db_total_size_in_use_in_bytes"));
        }
    }

    private static long Gauge(string metrics, string name) =>
        (long)double.Parse(metrics.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..],
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Overwrites one key with 64 KiB until a put is refused; the count of puts that fitted.</summary>
    private static async Task<int> FillUntilRefusedAsync(Etcdctl etcdctl)
    {
        for (var written = 0; written < 100; written++)
        {
            var put = await etcdctl.RunAsync("put", "large", LargeValue);
            if (put.ExitCode != 0)
            {
                Assert.Contains("Error: etcdserver: mvcc: database space exceeded", put.StdErr);
                return written;
            }
        }
        Assert.Fail("100 writes of 64 KiB fitted in a 1 MiB quota");
        return 0;
    }

    /// <summary>Both stores answer alike: exit code, stdout and error line, with member ids set aside.</summary>
    private static async Task SameOutcomeAsync(MemberNode[] nodes, params string[] args)
    {
        var stdin = args[0] == "txn" ? "\n\nput tiny x\n\n" : null;
        var expected = await nodes[0].Etcdctl.RunWithInputAsync(stdin, args);
        var actual = await nodes[1].Etcdctl.RunWithInputAsync(stdin, args);
        var what = "etcdctl " + string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code\netcd: {expected}\nactorstore: {actual}");
        Assert.Equal(Comparable(expected.StdOut, nodes[0]), Comparable(actual.StdOut, nodes[1]));
        Assert.Equal(ErrorLine(expected.StdErr, nodes[0]), ErrorLine(actual.StdErr, nodes[1]));
    }

    private static string Comparable(string output, MemberNode node) =>
        LeaseId().Replace(MemberId().Replace(output.Replace(node.Etcdctl.Endpoint, "<endpoint>", StringComparison.Ordinal), "memberID:<id>"), "lease <id>");

    private static string ErrorLine(string stderr, MemberNode node) =>
        Comparable(string.Join('\n', stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal))), node);

    private static async Task<(long Revision, long DbSize, long DbSizeInUse)> StatusAsync(Etcdctl etcdctl)
    {
        var status = CommandResult.AssertOk(await etcdctl.RunAsync("endpoint", "status", "-w", "json"));
        var body = JsonDocument.Parse(status.StdOut).RootElement[0].GetProperty("Status");
        return (body.GetProperty("header").GetProperty("revision").GetInt64(), body.GetProperty("dbSize").GetInt64(),
            body.TryGetProperty("dbSizeInUse", out var inUse) ? inUse.GetInt64() : 0);
    }

    [GeneratedRegex("memberID:[0-9a-f]+")]
    private static partial Regex MemberId();

    [GeneratedRegex("lease [0-9a-f]+")]
    private static partial Regex LeaseId();
}
