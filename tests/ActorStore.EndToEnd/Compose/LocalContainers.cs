using System.Runtime.Versioning;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Compose;

/// <summary>
/// Runs docker-compose.yml's services as local processes where no Docker engine is, with exactly the file's
/// environment and command lines and the image's entrypoint, changed only where one host is not a set of containers:
/// <list type="bullet">
/// <item>each service's host name (and service name) is a loopback address of its own, 127.X.Y.N with X and Y random
/// per run, written to a hosts file that every process sees as /etc/hosts (<see cref="EtcOverlay"/>), so members, health checks and etcdctl reach s1, s2 and s3 by name
/// as in the compose network, and certificates made for those names are checked against them;</item>
/// <item>0.0.0.0 in a service's settings becomes its own address: containers each have their own 0.0.0.0, a host
/// has one (so the ports stay 2379 and 2380, on different addresses; the published host ports are not reproduced);</item>
/// <item>a volume's mount point becomes a directory of that volume under the run's temp dir, and /usr/local/bin/
/// a directory holding the image's files: the release build as `actorstore` and the repository files the
/// Dockerfile copies there; it comes first on PATH, after which etcdctl is the system's;</item>
/// <item>DOTNET_BUNDLE_EXTRACT_BASE_DIR (the image's /tmp) is the run's temp dir, so nothing is left behind.</item>
/// </list>
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalContainers : IDisposable
{
    private const string ImageBin = "/usr/local/bin/";

    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TempDir _dir = new();
    private readonly DockerfileFacts _image;
    private readonly Dictionary<string, string> _addresses = new(StringComparer.Ordinal);
    private readonly EtcOverlay _etc;

    public LocalContainers(ComposeFile compose, DockerfileFacts image, string releaseBinary)
    {
        _image = image;
        Directory.CreateDirectory(Bin);
        File.Copy(releaseBinary, Path.Combine(Bin, "actorstore"));
        File.SetUnixFileMode(Path.Combine(Bin, "actorstore"), Executable);
        foreach (var (imagePath, repositoryPath) in image.CopiedFromRepository.Where(copy => copy.Key.StartsWith(ImageBin, StringComparison.Ordinal)))
        {
            var local = Path.Combine(Bin, imagePath[ImageBin.Length..]);
            File.Copy(Path.Combine(RepoPaths.RepoRoot, repositoryPath), local);
            File.SetUnixFileMode(local, Executable);
        }

        var network = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.";
        var hosts = new List<string> { "127.0.0.1 localhost" };
        foreach (var service in compose.Services.Values.Where(service => service.Hostname is not null))
        {
            var address = network + (_addresses.Count + 1);
            _addresses[service.Name] = address;
            hosts.Add($"{address} {service.Hostname} {service.Name}");
        }
        var hostsFile = Path.Combine(_dir.Path, "hosts");
        File.WriteAllLines(hostsFile, hosts);
        _etc = new EtcOverlay(new Dictionary<string, string> { ["/etc/hosts"] = hostsFile });
    }

    private string Bin => Path.Combine(_dir.Path, "usr-local-bin");

    /// <summary>The directory standing for volume <paramref name="volume"/>.</summary>
    public string VolumeDir(string volume)
    {
        var path = Path.Combine(_dir.Path, "volumes", volume);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The service's command line as Docker runs it: entrypoint (the service's or the image's), then command.</summary>
    public IReadOnlyList<string> CommandLine(ComposeService service) =>
        [.. service.Entrypoint ?? _image.Entrypoint, .. service.Command ?? (service.Entrypoint is null ? _image.Command : [])];

    /// <summary>Runs a one-shot service (or a service's health check, given as <paramref name="commandLine"/>) to its end.</summary>
    public Task<CommandResult> RunAsync(ComposeService service, IReadOnlyList<string>? commandLine = null, params string[] extraArgs) =>
        _etc.RunAsync(Localize(service, [.. commandLine ?? CommandLine(service), .. extraArgs]), Environment(service), TimeSpan.FromSeconds(90));

    /// <summary>Starts a long-running service.</summary>
    public ServerProcess Start(ComposeService service) =>
        _etc.Start(Localize(service, CommandLine(service)), Environment(service));

    /// <summary>The address a service's host name stands for in this run.</summary>
    public string AddressOf(string service) => _addresses[service];

    /// <summary>A string of the service's settings as it applies on this host (see the class comment).</summary>
    public string Localize(ComposeService service, string text)
    {
        foreach (var (volume, mountPoint) in service.Volumes.OrderByDescending(volume => volume.Value.Length))
        {
            text = text.Replace(mountPoint, VolumeDir(volume), StringComparison.Ordinal);
        }
        text = text.Replace(ImageBin, Bin + "/", StringComparison.Ordinal);
        return _addresses.TryGetValue(service.Name, out var address) ? text.Replace("0.0.0.0", address, StringComparison.Ordinal) : text;
    }

    public void Dispose() => _dir.Dispose();

    private IEnumerable<string> Localize(ComposeService service, IEnumerable<string> commandLine) =>
        commandLine.Select(word => Localize(service, word));

    private Dictionary<string, string> Environment(ComposeService service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _image.Environment.Concat(service.Environment))
        {
            environment[key] = Localize(service, value);
        }
        environment["PATH"] = Bin + ":" + System.Environment.GetEnvironmentVariable("PATH");
        environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Path.Combine(_dir.Path, "extract");
        return environment;
    }
}
