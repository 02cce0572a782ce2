using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.GoClient;

/// <summary>
/// tests/go/concurrency-scenario built against Debian's etcd 3.4 Go client (GOPATH mode, offline), once per source
/// change: the binary lands in its folder's bin/, next to main.go. Needs the golang-go and golang-etcd-server-dev
/// packages, which .ci/run installs.
/// </summary>
public static class GoScenarioProgram
{
    private const string DebianGoPath = "/usr/share/gocode";

    public static async Task<string> BuildAsync()
    {
        var sourceDir = Path.Combine(RepoPaths.RepoRoot, "tests", "go", "concurrency-scenario");
        var source = Path.Combine(sourceDir, "main.go");
        var binary = Path.Combine(sourceDir, "bin", "concurrency-scenario");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        // Test classes in different collections may ask at the same time: one builds, the other waits for it.
        await using var buildLock = await LockAsync(binary + ".lock");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) >= File.GetLastWriteTimeUtc(source))
        {
            return binary;
        }
        if (!Directory.Exists(Path.Combine(DebianGoPath, "src", "go.etcd.io", "etcd", "clientv3")))
        {
            throw new InvalidOperationException("the Go scenario needs Debian's etcd client sources: apt-get install golang-go golang-etcd-server-dev");
        }
        using var gopath = new TempDir();
        var package = Path.Combine(gopath.Path, "src", "concurrency-scenario");
        Directory.CreateDirectory(package);
        File.Copy(source, Path.Combine(package, "main.go"));
        var build = await ProcessRunner.RunAsync("go", ["build", "-o", binary + ".tmp", "concurrency-scenario"], environment: new Dictionary<string, string>
        {
            ["GO111MODULE"] = "off",
            ["GOFLAGS"] = "",
            ["GOPATH"] = $"{gopath.Path}:{DebianGoPath}",
        }, timeout: TimeSpan.FromMinutes(5));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("go build of the concurrency scenario failed:\n" + build.StdErr);
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
