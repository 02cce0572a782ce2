using System.ComponentModel;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>The openssl command line, which makes the tests' certificates and probes the members' peer ports.</summary>
public static class OpenSsl
{
    /// <summary>Runs openssl; a missing openssl fails the test with what to install rather than a bare exception.</summary>
    public static async Task<CommandResult> RunAsync(string[] args, string? stdin = null, TimeSpan? timeout = null)
    {
        try
        {
            return await ProcessRunner.RunAsync("openssl", args, stdin, timeout: timeout ?? TimeSpan.FromSeconds(20));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "openssl is not installed (Debian package openssl): the peer TLS tests make their certificates with it", e);
        }
    }

    /// <summary>Runs openssl and fails with its whole output unless it succeeded.</summary>
    public static async Task<CommandResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {result}");
    }
}
