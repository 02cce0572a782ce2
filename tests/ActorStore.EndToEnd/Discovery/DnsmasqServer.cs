using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Discovery;

/// <summary>
/// A private dnsmasq (Debian's dnsmasq-base) answering for one test domain only: SRV records and A records given by
/// the test, nothing forwarded, no system files read. It listens on port 53 of a loopback address of its own
/// (127.X.Y.53, X and Y random), because Go programs (etcd, etcdctl) ask name servers on port 53 only; .NET members
/// are pointed at it with ACTORSTORE_DNS_SERVER, Go ones through a resolv.conf naming it (<see cref="EtcOverlay"/>).
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly ServerProcess _process;

    private DnsmasqServer(TempDir dir, string address, ServerProcess process)
    {
        _dir = dir;
        Address = address;
        _process = process;
        ResolvConf = Path.Combine(_dir.Path, "resolv.conf");
        File.WriteAllText(ResolvConf, $"nameserver {address}\noptions timeout:2 attempts:2\n");
    }

    public string Address { get; }

    /// <summary>host:port for ACTORSTORE_DNS_SERVER.</summary>
    public string Endpoint => Address + ":53";

    /// <summary>A resolv.conf naming this server, to show as /etc/resolv.conf.</summary>
    public string ResolvConf { get; }

    /// <param name="domain">The domain answered here; other names get NXDOMAIN.</param>
    /// <param name="srv">SRV records: full name (_service._tcp.domain), target host, port.</param>
    /// <param name="hosts">A records: host name, IPv4 address.</param>
    public static async Task<DnsmasqServer> StartAsync(
        string domain, IEnumerable<(string Name, string Target, int Port)> srv, IEnumerable<(string Host, string Address)> hosts)
    {
        var address = $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.53";
        var dir = new TempDir();
        string[] args =
        [
            "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--no-poll", "--log-facility=-",
            "--log-queries", "--bind-interfaces", "--listen-address=" + address, "--port=53", "--user=root",
            "--pid-file=" + Path.Combine(dir.Path, "dnsmasq.pid"), $"--local=/{domain}/",
            .. srv.Select(record => $"--srv-host={record.Name},{record.Target},{record.Port},0,0"),
            .. hosts.Select(host => $"--host-record={host.Host},{host.Address}"),
        ];
        var process = ServerProcess.Start("dnsmasq", args);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!process.Output.Contains("started", StringComparison.Ordinal))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await process.DisposeAsync();
                dir.Dispose();
                throw new InvalidOperationException("dnsmasq did not start:\n" + process.Output);
            }
            await Task.Delay(50);
        }
        return new DnsmasqServer(dir, address, process);
    }

    public string Log => _process.Output;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
