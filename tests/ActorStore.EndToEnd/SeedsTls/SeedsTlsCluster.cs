using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// Three members (m1..m3, on 127.0.0.1) as the seeds deploy them: client TLS with client certificates required
/// (https:// client URLs, --cert-file, --key-file, --trusted-ca-file, --client-cert-auth) and peer mutual TLS
/// (https:// peer URLs, the --peer-* flags), each member on its own certificate from <see cref="SeedsPki"/>. Each member
/// also serves plain http:// on another port, which <see cref="ClusterNodes"/> checks health and elections on.
/// </summary>
public sealed class SeedsTlsCluster : IAsyncDisposable
{
    public static readonly string[] MemberNames = ["m1", "m2", "m3"];

    private readonly IReadOnlyDictionary<string, int> _securePorts;

    private SeedsTlsCluster(ClusterNodes nodes, IReadOnlyDictionary<string, int> securePorts, SeedsPki pki)
    {
        Nodes = nodes;
        _securePorts = securePorts;
        Pki = pki;
    }

    public ClusterNodes Nodes { get; }
    public MemberKind Kind => Nodes.Kind;
    public SeedsPki Pki { get; }

    /// <summary>The https:// client URL of each member, m1 first.</summary>
    public IReadOnlyList<string> SecureUrls => Nodes.Members.Select(member => SecureUrl(member.Name)).ToArray();

    /// <summary>etcdctl with --endpoints naming all three https:// URLs.</summary>
    public Etcdctl All => new(string.Join(',', SecureUrls));

    /// <summary>etcdctl with the https:// URL of member <paramref name="index"/> only.</summary>
    public Etcdctl Member(int index) => new(SecureUrl(Nodes[index].Name));

    public string SecureUrl(string member) => $"https://127.0.0.1:{_securePorts[member]}";

    public static async Task<SeedsTlsCluster> StartAsync(MemberKind kind, SeedsPki pki)
    {
        var placements = new LoopbackPlacements();
        var plainPorts = new Dictionary<string, int>();
        var securePorts = new Dictionary<string, int>();
        MemberPlacement Place(string name)
        {
            var placement = placements.Place(name);
            plainPorts[name] = placement.ClientPort;
            securePorts[name] = placements.NextPort();
            return placement;
        }
        var spec = new ClusterSpec
        {
            PeerScheme = "https",
            ExtraArgs =
            [
                "--logger=zap",
                "--trusted-ca-file", pki.CaFile, "--client-cert-auth",
                "--peer-trusted-ca-file", pki.CaFile, "--peer-client-cert-auth",
            ],
            // Later on the command line than the member's own http:// URLs: etcd and ActorStore take the last.
            MemberArgs = name =>
            [
                "--listen-client-urls", $"https://127.0.0.1:{securePorts[name]},http://127.0.0.1:{plainPorts[name]}",
                "--advertise-client-urls", $"https://127.0.0.1:{securePorts[name]}",
                "--cert-file", pki.MemberCertFile(name), "--key-file", pki.MemberKeyFile(name),
                "--peer-cert-file", pki.MemberCertFile(name), "--peer-key-file", pki.MemberKeyFile(name),
            ],
            Place = Place,
        };
        var nodes = await ClusterNodes.StartAsync(kind, spec);
        return new SeedsTlsCluster(nodes, securePorts, pki);
    }

    /// <summary>etcdctl over TLS as the client user: the certificate flags, then <paramref name="args"/>.</summary>
    public Task<CommandResult> RunAsync(Etcdctl etcdctl, params string[] args) =>
        etcdctl.RunAsync([.. Pki.EtcdctlArgs, .. args]);

    /// <summary>A long-running etcdctl (watch, lock) over TLS as the client user.</summary>
    public EtcdctlProcess Start(Etcdctl etcdctl, params string[] args) =>
        EtcdctlProcess.Start(etcdctl, [.. Pki.EtcdctlArgs, .. args]);

    public ValueTask DisposeAsync() => Nodes.DisposeAsync();
}
