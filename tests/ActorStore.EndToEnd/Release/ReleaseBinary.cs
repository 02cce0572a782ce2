using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Release;

/// <summary>
/// The release build, made once per test run by scripts/publish-release.sh (the README's one command) into a temp
/// dir: the self-contained single-file `actorstore`. Its intermediate files go to the temp dir too (--artifacts-path),
/// so the publish neither reads nor disturbs the repository's bin/ and obj/ that the other tests run from. Without
/// ReadyToRun code, which changes start-up time only and costs many minutes of crossgen on a busy machine.
/// </summary>
public sealed class ReleaseBinary : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private readonly TempDir _dir = new();

    public string FilePath => Path.Combine(_dir.Path, "publish", "actorstore");

    /// <summary>How long the publish took, for the test output.</summary>
    public TimeSpan PublishTime { get; private set; }

    public static string RuntimeIdentifier => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.RepoRoot, "scripts", "publish-release.sh");
        var info = ProcessRunner.StartInfo("bash",
            [
                script, RuntimeIdentifier, Path.Combine(_dir.Path, "publish"),
                "--artifacts-path", Path.Combine(_dir.Path, "artifacts"),
                // No MSBuild node or compiler server may outlive the publish.
                "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:PublishReadyToRun=false",
            ],
            environment: null, redirectInput: false);
        // The test host inherits the outer `dotnet test`'s MSBuild variables; the publish is a build of its own.
        foreach (var key in info.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"publish-release.sh did not finish in {PublishTimeout}");
        }
        PublishTime = clock.Elapsed;
        CommandResult.AssertOk(new CommandResult(process.ExitCode, await stdout, await stderr));
        Assert.True(File.Exists(FilePath), "no " + FilePath + " after the publish:\n" + await stdout);
        // The build's scratch files are not needed once the file exists.
        Directory.Delete(Path.Combine(_dir.Path, "artifacts"), recursive: true);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
