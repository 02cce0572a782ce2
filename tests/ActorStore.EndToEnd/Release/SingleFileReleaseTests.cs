using System.Runtime.Versioning;
using System.Diagnostics;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Release;

/// <summary>The seeds install etcd by copying one file to /usr/local/bin: the release build must run the same way.</summary>
[Collection(ReleaseCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SingleFileReleaseTests
{
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly ReleaseBinary _release;
    private readonly ITestOutputHelper _output;

    public SingleFileReleaseTests(ReleaseBinary release, ITestOutputHelper output)
    {
        _release = release;
        _output = output;
    }

    [Fact]
    public async Task The_file_copied_alone_under_the_name_etcd_starts_with_etcds_flags_and_serves_etcdctl()
    {
        using var dir = new TempDir();
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        var etcd = Path.Combine(bin, "etcd");
        File.Copy(_release.FilePath, etcd);
        File.SetUnixFileMode(etcd, Executable);
        // Native libraries unpack here instead of under the test user's home.
        var environment = new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(dir.Path, "extract") };

        var version = CommandResult.AssertOk(await ProcessRunner.RunAsync(etcd, ["--version"], environment: environment));
        Assert.StartsWith("etcd Version: 3.4.23\n", version.StdOut);

        var client = FreePorts.Next();
        var peer = FreePorts.Next();
        var clientUrl = $"http://127.0.0.1:{client}";
        var clock = Stopwatch.StartNew();
        await using var member = ServerProcess.Start(etcd,
        [
            "--name", "n1", "--data-dir", Path.Combine(dir.Path, "n1.etcd"),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"n1=http://127.0.0.1:{peer}",
        ], environment);
        await member.WaitHealthyAsync(clientUrl + "/health", TimeSpan.FromSeconds(60));
        _output.WriteLine($"published in {_release.PublishTime}; healthy {clock.ElapsedMilliseconds} ms after exec (a warm start: the version run unpacked the native libraries)");

        var etcdctl = new Etcdctl(clientUrl);
        Assert.Equal("OK", CommandResult.AssertOk(await etcdctl.RunAsync("put", "installed", "alone")).StdOut.Trim());
        Assert.Equal("installed\nalone\n", CommandResult.AssertOk(await etcdctl.RunAsync("get", "installed")).StdOut);

        // It ran from the file alone: nothing was added next to it.
        Assert.Equal(["etcd"], Directory.GetFileSystemEntries(bin).Select(entry => Path.GetFileName(entry)));
        await member.StopAsync();
        Assert.Equal(0, member.ExitCode);
    }
}
