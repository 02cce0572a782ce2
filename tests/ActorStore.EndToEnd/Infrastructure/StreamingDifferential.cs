using Xunit;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Runs one scenario with long-lived etcdctl processes (watch, lock, elect, keep-alive) against real etcd, then the
/// same against ActorStore, and asserts equal exit codes, equal stdout and equal stderr once etcdctl's JSON log lines
/// are set aside. Outputs pass through <see cref="Differential.Normalize"/> and the caller's normalizer (lease ids).
/// The scenario gets the node and whether it runs on the oracle: waits that time out there mean the test is wrong.
/// </summary>
public static class StreamingDifferential
{
    public static async Task<(CommandResult Etcd, CommandResult ActorStore)> SameAsync(
        PairFixture pair, Func<MemberNode, bool, Task<CommandResult>> scenario, Func<string, string>? normalizeEtcd = null,
        Func<string, string>? normalizeActorStore = null)
    {
        var expected = await scenario(pair.Etcd, true);
        var actual = await scenario(pair.ActorStore, false);
        AssertSame(expected, actual, normalizeEtcd, normalizeActorStore);
        return (expected, actual);
    }

    public static void AssertSame(
        CommandResult expected, CommandResult actual, Func<string, string>? normalizeExpected = null, Func<string, string>? normalizeActual = null)
    {
        normalizeExpected ??= text => text;
        normalizeActual ??= text => text;
        Assert.True(expected.ExitCode == actual.ExitCode, $"exit code\netcd: {expected}\nactorstore: {actual}");
        Assert.Equal(normalizeExpected(Differential.Normalize(expected.StdOut)), normalizeActual(Differential.Normalize(actual.StdOut)));
        Assert.Equal(normalizeExpected(MeaningfulStdErr(expected.StdErr)), normalizeActual(MeaningfulStdErr(actual.StdErr)));
    }

    /// <summary>stderr without etcdctl's JSON log lines (timestamps, client ids, retry attempts).</summary>
    public static string MeaningfulStdErr(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('{')));
}
