using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>What the election tests share: reading what a running `etcdctl elect` printed once elected.</summary>
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
}
