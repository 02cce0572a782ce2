using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// The same etcdctl command against two clusters (the reference real etcd one first), asserting equal exit codes,
/// equal stdout once cluster id, member id and raft term are set aside (<see cref="Differential.Normalize"/>), and
/// equal "Error:" lines.
/// </summary>
public static class ClusterDifferential
{
    public static Task<CommandResult> SameAsync(Etcdctl reference, Etcdctl candidate, params string[] args) =>
        SameWithInputAsync(reference, candidate, null, args);

    public static async Task<CommandResult> SameWithInputAsync(Etcdctl reference, Etcdctl candidate, string? stdin, params string[] args)
    {
        var expected = await reference.RunWithInputAsync(stdin, args);
        var actual = await candidate.RunWithInputAsync(stdin, args);
        var what = "etcdctl " + string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code\nreference: {expected}\ncandidate: {actual}");
        Assert.Equal(Differential.Normalize(expected.StdOut), Differential.Normalize(actual.StdOut));
        Assert.Equal(ErrorLines(expected.StdErr), ErrorLines(actual.StdErr));
        return actual;
    }

    private static string ErrorLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal)));
}
