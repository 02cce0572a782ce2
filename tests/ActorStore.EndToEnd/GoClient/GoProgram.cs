using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.GoClient;

/// <summary>
/// A Go program in tests/go/&lt;name&gt; (package main) built against Debian's etcd 3.4 Go client (GOPATH mode,
/// offline), once per source change: the binary lands in its folder's bin/ (ignored by git), next to the sources.
/// Needs the golang-go and golang-etcd-server-dev packages, which .ci/run installs.
/// </summary>
public static class GoProgram
{
    private const string DebianGoPath = "/usr/share/gocode";

    public const string ConcurrencyScenario = "concurrency-scenario";
    public const string RobustnessWorkload = "robustness-workload";

    /// <summary>Builds tests/go/<paramref name="name"/> if a source is newer than its binary; returns the binary's path.</summary>
    public static async Task<string> BuildAsync(string name)
    {
        var sourceDir = Path.Combine(RepoPaths.RepoRoot, "tests", "go", name);
        var sources = Directory.GetFiles(sourceDir, "*.go");
        if (sources.Length == 0)
        {
            throw new FileNotFoundException("no Go sources in " + sourceDir);
        }
        var binary = Path.Combine(sourceDir, "bin", name);
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        // Test classes in different collections (or assemblies) may ask at the same time: one builds, the others wait.
        await using var buildLock = await LockAsync(binary + ".lock");
        if (File.Exists(binary) && sources.All(source => File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source)))
        {
            return binary;
        }
        if (!Directory.Exists(Path.Combine(DebianGoPath, "src", "go.etcd.io", "etcd", "clientv3")))
        {
            throw new InvalidOperationException($"the Go program {name} needs Debian's etcd client sources: apt-get install golang-go golang-etcd-server-dev");
        }
        // GOPATH mode wants the package under $GOPATH/src/<import path>.
        using var gopath = new TempDir();
        var package = Path.Combine(gopath.Path, "src", name);
        Directory.CreateDirectory(package);
        foreach (var source in sources)
        {
            File.Copy(source, Path.Combine(package, Path.GetFileName(source)));
        }
        var build = await ProcessRunner.RunAsync("go", ["build", "-o", binary + ".tmp", name], environment: new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOFLAGS"] = "",
            ["GOPATH"] = $"{gopath.Path}:{DebianGoPath}",
        }, timeout: TimeSpan.FromMinutes(5));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of {name} failed:\n{build.StdErr}");
        }
        File.Move(binary + ".tmp", binary, overwrite: true);
        return binary;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(6);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
