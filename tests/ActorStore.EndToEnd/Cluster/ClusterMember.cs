using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// One member of a test cluster on its own address and ports (see <see cref="MemberPlacement"/>) and data dir, served by
/// ActorStore or by real etcd with the same etcd flags. A restart reuses the flags and the data dir, so the member comes
/// back with everything it persisted.
/// </summary>
public sealed class ClusterMember : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _extraArgs;
    private ServerProcess? _process;

    public ClusterMember(
        MemberKind kind, string name, string dataDir, MemberPlacement placement,
        string initialCluster, string initialClusterToken, string initialClusterState, IReadOnlyList<string> extraArgs,
        string peerScheme = "http")
    {
        Kind = kind;
        Name = name;
        DataDir = dataDir;
        Placement = placement;
        InitialCluster = initialCluster;
        InitialClusterToken = initialClusterToken;
        InitialClusterState = initialClusterState;
        _extraArgs = extraArgs;
        PeerScheme = peerScheme;
        Etcdctl = new Etcdctl(ClientUrl);
    }

    public MemberKind Kind { get; }
    public string Name { get; }
    public string DataDir { get; }
    public MemberPlacement Placement { get; }
    public string Host => Placement.Host;
    public int ClientPort => Placement.ClientPort;
    public int PeerPort => Placement.PeerPort;
    public string ClientUrl => $"http://{Host}:{ClientPort}";
    /// <summary>"http", or "https" for a member that talks to its peers over TLS.</summary>
    public string PeerScheme { get; }
    public string PeerUrl => $"{PeerScheme}://{Host}:{PeerPort}";
    public string InitialCluster { get; }
    public string InitialClusterToken { get; }
    public string InitialClusterState { get; }

    /// <summary>etcdctl pointed at this member only.</summary>
    public Etcdctl Etcdctl { get; }

    public bool IsRunning => _process is { HasExited: false };
    public ServerProcess Process => _process ?? throw new InvalidOperationException(Name + " was never started");

    public IReadOnlyList<string> Flags =>
    [
        "--name", Name,
        "--data-dir", DataDir,
        "--listen-client-urls", ClientUrl,
        "--advertise-client-urls", ClientUrl,
        "--listen-peer-urls", PeerUrl,
        "--initial-advertise-peer-urls", PeerUrl,
        "--initial-cluster", InitialCluster,
        "--initial-cluster-token", InitialClusterToken,
        "--initial-cluster-state", InitialClusterState,
        .. _extraArgs,
    ];

    /// <summary>Starts the process without waiting: the members of a new cluster only get healthy once a quorum runs.</summary>
    public void Launch()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException(Name + " is already running");
        }
        string[] server = Kind == MemberKind.ActorStore ? ["dotnet", RepoPaths.ActorStoreDll, .. Flags] : ["etcd", .. Flags];
        string[] command = [.. Placement.CommandPrefix, .. server];
        _process = ServerProcess.Start(command[0], command[1..]);
    }

    public Task WaitHealthyAsync(TimeSpan timeout) => Process.WaitHealthyAsync(ClientUrl + "/health", timeout);

    public async Task StartAsync(TimeSpan timeout)
    {
        Launch();
        await WaitHealthyAsync(timeout);
    }

    /// <summary>SIGKILL, as `kill -9`: nothing gets flushed.</summary>
    public async Task KillHardAsync() => await Process.KillHardAsync();

    /// <summary>SIGSTOP: the member freezes with its connections open, as a process stalled by the machine would.</summary>
    public void Pause() => Process.Pause();

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Process.Resume();

    /// <summary>SIGTERM (SIGKILL if it does not stop in time).</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync();
        }
    }

    /// <summary>Stops the member if it still runs, then starts it again with the same flags and data dir.</summary>
    public async Task RestartAsync(TimeSpan timeout)
    {
        await StopAsync();
        await StartAsync(timeout);
    }

    /// <summary>The last lines the member wrote, for failure messages.</summary>
    public string OutputTail(int lines = 25)
    {
        if (_process is null)
        {
            return $"--- {Name}: never started";
        }
        var all = _process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"--- {Name} ({state})\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Kills the process outright: its data dir is deleted next, so a graceful stop would only cost time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.KillHardAsync();
            await _process.DisposeAsync();
        }
    }
}
