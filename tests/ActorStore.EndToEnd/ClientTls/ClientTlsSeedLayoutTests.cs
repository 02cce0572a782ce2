using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>
/// The client URLs of etcd's seed configurations: https:// on the machine's address and http:// on 127.0.0.1, the
/// same port, served side by side. Real etcd 3.4.23 and ActorStore; a machine without an address besides loopback
/// has nothing to test.
/// </summary>
public sealed class ClientTlsSeedLayoutTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Https_on_the_machine_address_and_http_on_loopback_share_the_port(MemberKind kind)
    {
        var address = MachineAddress();
        if (address is null)
        {
            output.WriteLine("no IPv4 address besides loopback: nothing to test");
            return;
        }
        using var pki = await ClientPki.CreateAsync();
        await using var node = await ClientTlsNode.StartAsync(kind,
        [
            "--cert-file", pki.Server.CertFile, "--key-file", pki.Server.KeyFile, "--trusted-ca-file", pki.Authority.CertFile, "--client-cert-auth",
        ], address.ToString());

        // The server certificate names 127.0.0.1 only: the client skips checking it, the member still checks the client's.
        string[] tls = ["--insecure-skip-tls-verify", "--cert", pki.Client.CertFile, "--key", pki.Client.KeyFile];
        CommandResult.AssertOk(await node.EtcdctlAsync(tls, "put", "seed/a", "over-https"));
        var plain = CommandResult.AssertOk(await node.Node.Etcdctl.RunAsync("get", "seed/a", "--print-value-only"));
        Assert.Equal("over-https\n", plain.StdOut);
        Assert.Equal(node.Node.ClientPort, node.SecurePort);

        var withoutCertificate = await node.EtcdctlAsync(["--insecure-transport=false", "--insecure-skip-tls-verify"], "--dial-timeout=2s", "--command-timeout=3s", "get", "seed/a");
        Assert.NotEqual(0, withoutCertificate.ExitCode);
    }

    private static IPAddress? MachineAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up && nic.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(ip => ip.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(ip));
}
