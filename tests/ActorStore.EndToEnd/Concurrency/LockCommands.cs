using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Concurrency;

/// <summary>What the lock tests share: reading the key a running `etcdctl lock` printed once it holds the lock.</summary>
public static class LockCommands
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    /// <summary>Waits for the lock to be held and returns the key printed, "name/lease-id".</summary>
    public static async Task<string> HeldKeyAsync(EtcdctlProcess process, string name, TimeSpan? timeout = null)
    {
        await process.WaitForAsync(lines => lines.Count >= 2, timeout ?? Wait, "the lock held (its key and a blank line)");
        var lines = process.Lines;
        Assert.Matches($"^{Regex.Escape(name)}/[0-9a-f]{{1,16}}$", lines[0]);
        Assert.Equal("", lines[1]);
        return lines[0];
    }
}
