using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.PeerTls;
using ActorStore.EndToEnd.Cluster;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// A single member (ActorStore or real etcd, the same flags) serving clients on an https:// URL and, side by side, on
/// the plain http:// URL the test infrastructure checks its health on.
/// </summary>
public sealed class ClientTlsNode : IAsyncDisposable
{
    private ClientTlsNode(MemberNode node, string secureHost, int securePort)
    {
        Node = node;
        SecureHost = secureHost;
        SecurePort = securePort;
        SecureEtcdctl = new Etcdctl(SecureUrl);
    }

    public MemberNode Node { get; }
    public MemberKind Kind => Node.Kind;
    public string SecureHost { get; }
    public int SecurePort { get; }
    public string SecureUrl => $"https://{SecureHost}:{SecurePort}";

    /// <summary>etcdctl pointed at the https:// URL; the TLS flags go with each command.</summary>
    public Etcdctl SecureEtcdctl { get; }

    public string Output => Node.Process.Output;

    /// <param name="tlsArgs">The client TLS flags (--cert-file, --client-cert-auth, ...).</param>
    /// <param name="secureHost">
    /// The address of the https:// URL; any but 127.0.0.1 puts it on the plain URL's port, as etcd's seed layouts do
    /// (https://IP:2379,http://127.0.0.1:2379).
    /// </param>
    public static async Task<ClientTlsNode> StartAsync(MemberKind kind, IReadOnlyList<string> tlsArgs, string secureHost = "127.0.0.1")
    {
        var ownPort = secureHost == "127.0.0.1" ? FreePorts.Next() : (int?)null;
        // MemberNode lists its http:// URL first; these, later on the command line, replace them (etcd and ActorStore take the last).
        var node = await MemberNode.StartAsync(kind, environment: null, node =>
        [
            "--logger=zap",
            "--listen-client-urls", $"https://{secureHost}:{ownPort ?? node.ClientPort},{node.ClientUrl}",
            "--advertise-client-urls", $"https://{secureHost}:{ownPort ?? node.ClientPort}",
            .. tlsArgs,
        ]);
        return new ClientTlsNode(node, secureHost, ownPort ?? node.ClientPort);
    }

    /// <summary>etcdctl over TLS with <paramref name="tlsArgs"/>, then <paramref name="args"/>.</summary>
    public Task<CommandResult> EtcdctlAsync(IReadOnlyList<string> tlsArgs, params string[] args) =>
        SecureEtcdctl.RunAsync([.. tlsArgs, .. args]);

    /// <summary>Waits for the member to log a "rejected connection" after the first <paramref name="skip"/> it logged.</summary>
    public Task<RejectedConnection> RejectionAsync(int skip, string what) =>
        Eventually.GetAsync(
            () => Task.FromResult(RejectedConnection.In(Output).Skip(skip).FirstOrDefault()),
            TimeSpan.FromSeconds(15),
            () => $"{Kind} logging \"{RejectedConnection.Message}\" for {what}; it logged:\n" + Tail());

    public int RejectionCount => RejectedConnection.In(Output).Count;

    public string Tail(int lines = 25) =>
        $"--- {Kind}\n" + string.Join('\n', Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
