using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>The `actorstore` program's flags: etcd's names, clear errors, exit code 1, nothing touched.</summary>
public sealed class CommandLineTests
{
    private static Task<CommandResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [RepoPaths.ActorStoreDll, .. args]);

    [Fact]
    public async Task Unknown_flag_is_refused_before_anything_is_touched()
    {
        using var dir = new TempDir();
        var dataDir = Path.Combine(dir.Path, "data");
        var result = await RunAsync("--data-dir", dataDir, "--no-such-flag");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("flag provided but not defined: -no-such-flag", result.StdErr);
        Assert.False(Directory.Exists(dataDir));
    }

    [Theory]
    [InlineData("--max-txn-ops=lots", "max-txn-ops")]
    [InlineData("--max-request-bytes=-5", "max-request-bytes")]
    [InlineData("--initial-cluster-state=sideways", "initial-cluster-state")]
    [InlineData("--listen-client-urls=not a url", "listen-client-urls")]
    public async Task Bad_values_are_refused_with_the_flag_named(string flag, string name)
    {
        using var dir = new TempDir();
        var dataDir = Path.Combine(dir.Path, "data");
        var result = await RunAsync("--data-dir", dataDir, flag);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(name, result.StdErr);
        Assert.False(Directory.Exists(dataDir));
    }

    [Fact]
    public async Task Version_and_help()
    {
        var version = await RunAsync("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Contains("3.4.23", version.StdOut);
        var help = await RunAsync("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--listen-client-urls", help.StdOut);
        Assert.Contains("--max-txn-ops", help.StdOut);
    }

    [Fact]
    public async Task A_data_dir_of_another_format_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDir();
        var memberDir = Path.Combine(dir.Path, "data", "member");
        Directory.CreateDirectory(memberDir);
        var database = Path.Combine(memberDir, "actorstore.db");
        var garbage = "this is not a database, and must stay exactly as it is\n"u8.ToArray();
        await File.WriteAllBytesAsync(database, garbage);
        await using var node = await StartExpectingFailure(Path.Combine(dir.Path, "data"));
        Assert.Equal(garbage, await File.ReadAllBytesAsync(database));
        Assert.Single(Directory.GetFileSystemEntries(memberDir));
    }

    [Fact]
    public async Task An_etcd_data_dir_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDir();
        var walDir = Path.Combine(dir.Path, "data", "member", "wal");
        Directory.CreateDirectory(walDir);
        await File.WriteAllTextAsync(Path.Combine(walDir, "0000000000000000-0000000000000000.wal"), "etcd wal");
        await using var node = await StartExpectingFailure(Path.Combine(dir.Path, "data"));
        Assert.Single(Directory.GetFileSystemEntries(Path.Combine(dir.Path, "data", "member")));
        Assert.Equal("etcd wal", await File.ReadAllTextAsync(Path.Combine(walDir, "0000000000000000-0000000000000000.wal")));
    }

    [Fact]
    public async Task The_data_dir_of_an_etcd_member_that_has_run_is_refused_and_left_as_it_was()
    {
        await using var etcd = await MemberNode.StartAsync(MemberKind.Etcd);
        CommandResult.AssertOk(await etcd.Etcdctl.RunAsync("put", "k", "v"));
        await etcd.Process.StopAsync();
        var before = Snapshot(etcd.DataDir);

        await using var node = await StartExpectingFailure(etcd.DataDir);

        Assert.Equal(before, Snapshot(etcd.DataDir));
    }

    /// <summary>Every file under a directory with its length and last write, to see that nothing changed.</summary>
    private static string[] Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Select(file => $"{file} {new FileInfo(file).Length} {File.GetLastWriteTimeUtc(file):O}")
            .Order()
            .ToArray();

    private static async Task<ServerProcess> StartExpectingFailure(string dataDir)
    {
        var client = FreePorts.Next();
        var peer = FreePorts.Next();
        var process = ServerProcess.Start("dotnet",
        [
            RepoPaths.ActorStoreDll, "--name", "n1", "--data-dir", dataDir,
            "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"n1=http://127.0.0.1:{peer}",
        ]);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Contains(dataDir, process.Output);
        return process;
    }
}
