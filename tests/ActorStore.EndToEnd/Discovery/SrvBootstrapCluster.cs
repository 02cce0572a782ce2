using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Discovery;

/// <summary>
/// Three members (m1..m3) bootstrapped by DNS SRV discovery, run by ActorStore or by real etcd with the same flags:
/// no --initial-cluster, but --discovery-srv and the peer URLs they advertise under host names (mN.DOMAIN) that the
/// test's dnsmasq resolves to 127.0.0.1. Every process (members and etcdctl) sees a resolv.conf naming that dnsmasq
/// (<see cref="EtcOverlay"/>); ActorStore members are also given it as ACTORSTORE_DNS_SERVER. Client URLs are
/// plain http and published as _etcd-client._tcp records for etcdctl --discovery-srv. https peers use certificates
/// made by `actorstore certs` for the members' host names.
/// </summary>
public sealed class SrvBootstrapCluster : IAsyncDisposable
{
    public const string Domain = "actorstore-srv.test";
    public static readonly string[] Names = ["m1", "m2", "m3"];

    private readonly TempDir _dir = new();
    private readonly List<ServerProcess> _processes = [];
    private readonly Dictionary<string, (int Client, int Peer)> _ports = new(StringComparer.Ordinal);
    private DnsmasqServer? _dns;

    private SrvBootstrapCluster(MemberKind kind, SrvSetup setup)
    {
        Kind = kind;
        Setup = setup;
        var placements = new Cluster.LoopbackPlacements();
        foreach (var name in Names)
        {
            _ports[name] = (placements.NextPort(), placements.NextPort());
        }
    }

    public MemberKind Kind { get; }
    public SrvSetup Setup { get; }
    public DnsmasqServer Dns => _dns ?? throw new InvalidOperationException("not started");
    public EtcOverlay Etc => new(new Dictionary<string, string> { ["/etc/resolv.conf"] = Dns.ResolvConf });
    public IReadOnlyList<ServerProcess> Processes => _processes;

    public static string Host(string name) => $"{name}.{Domain}";
    public string PeerUrl(string name) => $"{Setup.PeerScheme}://{Host(name)}:{_ports[name].Peer}";
    public string ClientUrl(string name) => $"http://{Host(name)}:{_ports[name].Client}";
    public string HealthUrl(string name) => $"http://127.0.0.1:{_ports[name].Client}/health";

    /// <summary>Publishes the records, makes certificates if the peers use https, and launches the three members (not waiting for them).</summary>
    public static async Task<SrvBootstrapCluster> LaunchAsync(MemberKind kind, SrvSetup setup)
    {
        var cluster = new SrvBootstrapCluster(kind, setup);
        try
        {
            await cluster.LaunchAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>etcdctl as a user of the cluster would run it: endpoints found through _etcd-client._tcp records.</summary>
    public Task<CommandResult> EtcdctlAsync(params string[] args) =>
        Etc.RunAsync(["etcdctl", "--discovery-srv", Domain, "--dial-timeout=5s", "--command-timeout=10s", .. args],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });

    public string Logs() => string.Join("\n", _processes.Select((process, i) => $"--- {Names[i]}\n{process.Output}")) + "\n--- dnsmasq\n" + _dns?.Log;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
        _dir.Dispose();
    }

    private async Task LaunchAsync()
    {
        var suffix = Setup.ServiceName.Length > 0 ? "-" + Setup.ServiceName : "";
        var serverServices = Setup.PublishBothServices
            ? new[] { "etcd-server-ssl", "etcd-server" }
            : [Setup.PeerScheme == "https" ? "etcd-server-ssl" : "etcd-server"];
        var published = Names.Where(name => name != Setup.Unpublished).ToArray();
        var srv = serverServices
            .SelectMany(service => published.Select(name => ($"_{service}{suffix}._tcp.{Domain}", Host(name), _ports[name].Peer)))
            .Concat(Names.Select(name => ($"_etcd-client._tcp.{Domain}", Host(name), _ports[name].Client)))
            .ToList();
        _dns = await DnsmasqServer.StartAsync(Domain, srv, Names.Select(name => (Host(name), "127.0.0.1")));

        var tls = Setup.PeerScheme == "https" ? await MakeCertificatesAsync() : null;
        var token = "srv-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in Names)
        {
            List<string> flags =
            [
                "--name", name, "--data-dir", Path.Combine(_dir.Path, name + ".etcd"), "--logger=zap",
                "--listen-client-urls", $"http://127.0.0.1:{_ports[name].Client}", "--advertise-client-urls", ClientUrl(name),
                "--listen-peer-urls", $"{Setup.PeerScheme}://127.0.0.1:{_ports[name].Peer}", "--initial-advertise-peer-urls", PeerUrl(name),
                "--initial-cluster-token", token, "--discovery-srv", Domain,
            ];
            if (Setup.ServiceName.Length > 0)
            {
                flags.AddRange(["--discovery-srv-name", Setup.ServiceName]);
            }
            if (tls is not null)
            {
                flags.AddRange(
                [
                    "--peer-cert-file", Path.Combine(tls, name + ".pem"), "--peer-key-file", Path.Combine(tls, name + "-key.pem"),
                    "--peer-trusted-ca-file", Path.Combine(tls, "ca.pem"), "--peer-client-cert-auth",
                ]);
            }
            _processes.Add(Kind == MemberKind.ActorStore
                ? Etc.Start(["dotnet", RepoPaths.ActorStoreDll, .. flags], new Dictionary<string, string> { ["ACTORSTORE_DNS_SERVER"] = Dns.Endpoint })
                : Etc.Start(["etcd", .. flags]));
        }
    }

    private async Task<string> MakeCertificatesAsync()
    {
        var dir = Path.Combine(_dir.Path, "certs");
        Directory.CreateDirectory(dir);
        await CertsAsync(dir, "--ca");
        foreach (var name in Names)
        {
            await CertsAsync(dir, "--member", name, "--hosts", $"{Host(name)},127.0.0.1,localhost");
        }
        return dir;
    }

    private static async Task CertsAsync(string dir, params string[] args) =>
        CommandResult.AssertOk(await ProcessRunner.RunAsync(
            "dotnet", [RepoPaths.ActorStoreDll, "certs", "--dir", dir, .. args], timeout: TimeSpan.FromSeconds(60)));
}
