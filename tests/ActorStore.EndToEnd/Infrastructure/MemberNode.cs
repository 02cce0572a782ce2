namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// One single-member cluster on free 127.0.0.1 ports and its own data dir, run by ActorStore or by real etcd with
/// the very same etcd flags. It can be killed and restarted on the same ports and data dir.
/// </summary>
public sealed class MemberNode : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly Func<MemberNode, IReadOnlyList<string>> _extraArgs;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private ServerProcess? _process;

    private MemberNode(MemberKind kind, Func<MemberNode, IReadOnlyList<string>> extraArgs, IReadOnlyDictionary<string, string>? environment = null)
    {
        Kind = kind;
        _extraArgs = extraArgs;
        _environment = environment;
        ClientPort = FreePorts.Next();
        PeerPort = FreePorts.Next();
        Etcdctl = new Etcdctl(ClientUrl);
    }

    public MemberKind Kind { get; }
    public int ClientPort { get; }
    public int PeerPort { get; }
    public string ClientUrl => $"http://127.0.0.1:{ClientPort}";
    public string PeerUrl => $"http://127.0.0.1:{PeerPort}";
    public string DataDir => Path.Combine(_dir.Path, "data");
    public Etcdctl Etcdctl { get; }
    public ServerProcess Process => _process ?? throw new InvalidOperationException("not started");

    public static Task<MemberNode> StartAsync(MemberKind kind, params string[] extraArgs) =>
        StartAsync(kind, environment: null, extraArgs);

    /// <summary>A member whose process also gets <paramref name="environment"/> (ACTORSTORE_* settings, say).</summary>
    public static Task<MemberNode> StartAsync(MemberKind kind, IReadOnlyDictionary<string, string>? environment, params string[] extraArgs) =>
        StartAsync(kind, environment, _ => extraArgs);

    /// <summary>A member whose extra flags name its own ports (its client port in a longer --listen-client-urls, say).</summary>
    public static async Task<MemberNode> StartAsync(MemberKind kind, IReadOnlyDictionary<string, string>? environment, Func<MemberNode, IReadOnlyList<string>> extraArgs)
    {
        var node = new MemberNode(kind, extraArgs, environment);
        try
        {
            await node.StartProcessAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyList<string> Flags =>
    [
        "--name", "n1",
        "--data-dir", DataDir,
        "--listen-client-urls", ClientUrl,
        "--advertise-client-urls", ClientUrl,
        "--listen-peer-urls", PeerUrl,
        "--initial-advertise-peer-urls", PeerUrl,
        "--initial-cluster", "n1=" + PeerUrl,
        .. _extraArgs(this),
    ];

    public async Task StartProcessAsync()
    {
        _process = Kind == MemberKind.ActorStore
            ? ServerProcess.Start("dotnet", [RepoPaths.ActorStoreDll, .. Flags], _environment)
            : ServerProcess.Start("etcd", Flags, _environment);
        await _process.WaitHealthyAsync(ClientUrl + "/health", TimeSpan.FromSeconds(60));
    }

    public async Task KillHardAsync() => await Process.KillHardAsync();

    public async Task RestartAsync()
    {
        if (_process is { HasExited: false })
        {
            await _process.StopAsync();
        }
        await StartProcessAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _dir.Dispose();
    }
}
