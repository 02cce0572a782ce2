namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Files of /etc (hosts, resolv.conf) replaced for the processes a test starts and for them only: each runs in a
/// private mount namespace (`unshare --mount`, which needs root) with the test's files bind-mounted over the real
/// ones, so .NET, Go and glibc programs alike resolve the test's host names and ask the test's name server.
/// </summary>
public sealed class EtcOverlay
{
    private readonly IReadOnlyDictionary<string, string> _files;

    /// <param name="files">Each /etc path and the file to show in its place.</param>
    public EtcOverlay(IReadOnlyDictionary<string, string> files)
    {
        _files = files;
    }

    /// <summary>The program to start (unshare); its arguments are <see cref="Arguments"/>.</summary>
    public const string Program = "unshare";

    /// <summary>unshare's arguments that run <paramref name="commandLine"/> with the files in place; the command is exec'd, so signals reach it.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> commandLine)
    {
        var binds = string.Join(" && ", _files.Select(file => $"mount --bind '{file.Value}' '{file.Key}'"));
        return ["--mount", "--propagation", "private", "sh", "-c", binds + " && exec \"$@\"", "sh", .. commandLine];
    }

    public Task<CommandResult> RunAsync(IEnumerable<string> commandLine, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(Program, Arguments(commandLine), environment: environment, timeout: timeout);

    public ServerProcess Start(IEnumerable<string> commandLine, IReadOnlyDictionary<string, string>? environment = null) =>
        ServerProcess.Start(Program, Arguments(commandLine), environment);
}
