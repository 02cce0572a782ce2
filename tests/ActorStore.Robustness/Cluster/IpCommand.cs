using System.ComponentModel;
using System.Diagnostics;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.Robustness.Cluster;

/// <summary>iproute2's `ip`, which sets up and tears down the isolated network (needs root).</summary>
public static class IpCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs `ip args` and returns its output; fails with its error when it does not succeed.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var result = await TryAsync(args);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {result.StdErr.Trim()}");
        }
        return result.StdOut;
    }

    /// <summary>Runs `ip args`; a failure is the caller's to judge.</summary>
    public static async Task<CommandResult> TryAsync(params string[] args)
    {
        try
        {
            return await ProcessRunner.RunAsync("ip", args, timeout: Timeout);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("`ip` (iproute2) is not installed: apt-get install iproute2", e);
        }
    }

    /// <summary>Runs `ip args` without awaiting anything, for the process-exit hook; failures are ignored.</summary>
    public static void RunQuietly(params string[] args)
    {
        try
        {
            using var process = Process.Start(ProcessRunner.StartInfo("ip", args, environment: null, redirectInput: false));
            if (process is not null && !process.WaitForExit(Timeout))
            {
                process.Kill();
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
        }
    }
}
