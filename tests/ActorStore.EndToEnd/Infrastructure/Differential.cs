using System.Text.RegularExpressions;
using Xunit;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Runs the same etcdctl command against ActorStore and real etcd, in lock step so both keyspaces see the same
/// history, and asserts the answers match: stdout, the error line and the exit code. Cluster id, member id and raft
/// term are set aside; etcdctl's retry log lines (timestamps, client ids) are not compared, its "Error:" line is.
/// </summary>
public static partial class Differential
{
    public static async Task<CommandResult> SameAsync(PairFixture pair, params string[] args) =>
        await SameWithInputAsync(pair, null, args);

    public static async Task<CommandResult> SameWithInputAsync(PairFixture pair, string? stdin, params string[] args)
    {
        var expected = await pair.Etcd.Etcdctl.RunWithInputAsync(stdin, args);
        var actual = await pair.ActorStore.Etcdctl.RunWithInputAsync(stdin, args);
        var what = "etcdctl " + string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code\netcd: {expected}\nactorstore: {actual}");
        Assert.Equal(Normalize(expected.StdOut), Normalize(actual.StdOut));
        Assert.Equal(ErrorLines(expected.StdErr), ErrorLines(actual.StdErr));
        return actual;
    }

    public static string Normalize(string output)
    {
        output = IdsInJson().Replace(output, "\"$1\":<id>");
        output = IdsInFields().Replace(output, "\"$1\" : <id>");
        output = IdsInText().Replace(output, "$1: <id>");
        return output;
    }

    private static string ErrorLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal)));

    [GeneratedRegex("\"(cluster_id|member_id|raft_term)\":\\d+")]
    private static partial Regex IdsInJson();

    [GeneratedRegex("\"(ClusterID|MemberID|RaftTerm)\" : \\d+")]
    private static partial Regex IdsInFields();

    [GeneratedRegex("(cluster_id|member_id|raft_term): \\d+")]
    private static partial Regex IdsInText();
}
