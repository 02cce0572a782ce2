using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Tests.Configuration;
using Xunit;

namespace ActorStore.Tests.Certificates;

/// <summary>
/// Real etcd 3.4.23 and etcdctl (Go's TLS) use what `actorstore certs` makes: client mutual TLS with the user taken
/// from the client certificate's common name, and peer mutual TLS between three members.
/// </summary>
public sealed class EtcdAcceptsCertsTests
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Etcdctl_with_a_client_certificate_talks_to_etcd_with_client_cert_auth_as_the_certificates_user()
    {
        using var dir = new TempDirectory();
        var certs = dir.Path;
        await CertsRun.RunOkAsync("--dir", certs, "--ca", "--member", "m1", "--hosts", "127.0.0.1,localhost");
        await CertsRun.RunOkAsync("--dir", certs, "--client", "root");
        await CertsRun.RunOkAsync("--dir", certs, "--client", "alice");
        var clientUrl = $"https://127.0.0.1:{FreePorts.Next()}";
        var peerUrl = $"https://127.0.0.1:{FreePorts.Next()}";

        await using var etcd = ServerProcess.Start("etcd", [
            "--name", "m1", "--data-dir", Path.Combine(dir.Path, "m1.etcd"),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl, "--initial-cluster", $"m1={peerUrl}",
            "--cert-file", Path.Combine(certs, "m1.pem"), "--key-file", Path.Combine(certs, "m1-key.pem"),
            "--trusted-ca-file", Path.Combine(certs, "ca.pem"), "--client-cert-auth",
            "--peer-cert-file", Path.Combine(certs, "m1.pem"), "--peer-key-file", Path.Combine(certs, "m1-key.pem"),
            "--peer-trusted-ca-file", Path.Combine(certs, "ca.pem"), "--peer-client-cert-auth"]);
        var asRoot = Etcdctl(certs, clientUrl, "root");
        await WaitHealthyAsync(asRoot, etcd);

        Ok(await RunAsync([.. asRoot, "put", "seed", "v1"]));
        Assert.Equal("seed\nv1\n", Ok(await RunAsync([.. asRoot, "get", "seed"])).StdOut);
        var withoutCertificate = await RunAsync("etcdctl", "--endpoints", clientUrl, "--cacert", Path.Combine(certs, "ca.pem"), "--dial-timeout", "3s", "--command-timeout", "5s", "get", "seed");
        Assert.NotEqual(0, withoutCertificate.ExitCode);

        // With auth on, etcd takes the user from the certificate's common name: root needs no password, alice is unknown.
        Ok(await RunAsync([.. asRoot, "user", "add", "root", "--new-user-password", "unused-password"]));
        Ok(await RunAsync([.. asRoot, "user", "grant-role", "root", "root"]));
        Ok(await RunAsync([.. asRoot, "auth", "enable"]));
        Ok(await RunAsync([.. asRoot, "put", "seed", "v2"]));
        Assert.Equal("seed\nv2\n", Ok(await RunAsync([.. asRoot, "get", "seed"])).StdOut);
        var asAlice = await RunAsync([.. Etcdctl(certs, clientUrl, "alice"), "get", "seed"]);
        Assert.NotEqual(0, asAlice.ExitCode);
        Assert.Contains("permission denied", asAlice.StdErr);
    }

    [Fact]
    public async Task Three_members_with_member_certificates_form_a_cluster_over_peer_mutual_tls()
    {
        using var dir = new TempDirectory();
        var certs = dir.Path;
        await CertsRun.RunOkAsync("--dir", certs, "--ca", "--client", "root");
        string[] names = ["infra0", "infra1", "infra2"];
        foreach (var name in names)
        {
            await CertsRun.RunOkAsync("--dir", certs, "--member", name, "--hosts", $"127.0.0.1,localhost,{name}");
        }
        var clientUrls = names.Select(_ => $"https://127.0.0.1:{FreePorts.Next()}").ToArray();
        var peerUrls = names.Select(_ => $"https://127.0.0.1:{FreePorts.Next()}").ToArray();
        var initialCluster = string.Join(',', names.Select((name, i) => $"{name}={peerUrls[i]}"));

        var members = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                var (cert, key) = (Path.Combine(certs, names[i] + ".pem"), Path.Combine(certs, names[i] + "-key.pem"));
                members.Add(ServerProcess.Start("etcd", [
                    "--name", names[i], "--data-dir", Path.Combine(dir.Path, names[i] + ".etcd"),
                    "--listen-client-urls", clientUrls[i], "--advertise-client-urls", clientUrls[i],
                    "--listen-peer-urls", peerUrls[i], "--initial-advertise-peer-urls", peerUrls[i],
                    "--initial-cluster", initialCluster, "--initial-cluster-token", "certs-test", "--initial-cluster-state", "new",
                    "--cert-file", cert, "--key-file", key, "--trusted-ca-file", Path.Combine(certs, "ca.pem"), "--client-cert-auth",
                    "--peer-cert-file", cert, "--peer-key-file", key, "--peer-trusted-ca-file", Path.Combine(certs, "ca.pem"), "--peer-client-cert-auth"]));
            }
            for (var i = 0; i < names.Length; i++)
            {
                await WaitHealthyAsync(Etcdctl(certs, clientUrls[i], "root"), members[i]);
            }

            Ok(await RunAsync([.. Etcdctl(certs, clientUrls[0], "root"), "put", "across", "peers"]));
            Assert.Equal("across\npeers\n", Ok(await RunAsync([.. Etcdctl(certs, clientUrls[2], "root"), "get", "across", "--consistency=l"])).StdOut);
            var list = Ok(await RunAsync([.. Etcdctl(certs, clientUrls[1], "root"), "member", "list"])).StdOut;
            Assert.Equal(3, list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(", started, ", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    private static string[] Etcdctl(string certs, string endpoint, string user) =>
    [
        "etcdctl", "--endpoints", endpoint, "--cacert", Path.Combine(certs, "ca.pem"),
        "--cert", Path.Combine(certs, user + ".pem"), "--key", Path.Combine(certs, user + "-key.pem"),
        "--dial-timeout", "5s", "--command-timeout", "10s",
    ];

    /// <summary>etcd's /health needs a client certificate here, so etcdctl (which has one) asks instead.</summary>
    private static async Task WaitHealthyAsync(string[] etcdctl, ServerProcess etcd)
    {
        var deadline = DateTime.UtcNow + StartupLimit;
        CommandResult health;
        do
        {
            health = await RunAsync([.. etcdctl, "endpoint", "health"]);
            if (health.ExitCode == 0)
            {
                return;
            }
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"etcd did not become healthy: {health}\n--- etcd\n{etcd.Output}");
    }

    private static Task<CommandResult> RunAsync(params string[] command) =>
        ProcessRunner.RunAsync(command[0], command[1..], timeout: TimeSpan.FromSeconds(30));

    private static CommandResult Ok(CommandResult result) => CommandResult.AssertOk(result);
}
