using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>What the election tests share: reading what a running `etcdctl elect` printed once elected, and the hand-over.</summary>
public static class ElectionCommands
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    /// <summary>Waits until the candidate leads and returns its leader key, "name/lease-id", after checking the proposal.</summary>
    public static async Task<string> LeaderKeyAsync(EtcdctlProcess candidate, string name, string proposal, TimeSpan? timeout = null)
    {
        await candidate.WaitForAsync(lines => lines.Count >= 2, timeout ?? Wait, "elected: the leader key and the proposal");
        var lines = candidate.Lines;
        Assert.Matches($"^{Regex.Escape(name)}/[0-9a-f]{{1,16}}$", lines[0]);
        Assert.Equal(proposal, lines[1]);
        return lines[0];
    }

    /// <summary>
    /// The first candidate resigns (SIGINT) and exits 0, the second leads with "p2", and the observer has seen both
    /// leaders in turn; then the second and the observer end and no key is left under the name.
    /// </summary>
    public static async Task HandOverAndEndAsync(
        EtcdctlProcess first, string firstKey, EtcdctlProcess second, EtcdctlProcess observer, string name, Etcdctl etcdctl, TimeSpan wait)
    {
        first.Interrupt();
        var resigned = await first.WaitForExitAsync(wait);
        Assert.True(resigned.ExitCode == 0, resigned.ToString());
        var secondKey = await LeaderKeyAsync(second, name, "p2", wait);
        Assert.NotEqual(firstKey, secondKey);
        await observer.WaitForAsync(lines => lines.Count >= 4, wait, "the second leader observed");
        Assert.Equal([firstKey, "p1", secondKey, "p2"], observer.Lines);

        second.Interrupt();
        Assert.Equal(0, (await second.WaitForExitAsync(wait)).ExitCode);
        observer.Interrupt();
        var observed = await observer.WaitForExitAsync(wait);
        Assert.True(observed.ExitCode == 0, observed.ToString());
        var left = CommandResult.AssertOk(await etcdctl.RunAsync("get", name, "--prefix", "--keys-only"));
        Assert.Equal("", left.StdOut);
    }
}
