using System.Runtime.Versioning;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.Release;
using Xunit;

namespace ActorStore.EndToEnd.Compose;

/// <summary>
/// `docker-compose up` without Docker: docker-compose.yml and docker/Dockerfile are read, and their services run as
/// local processes on the release build (<see cref="LocalContainers"/> says what differs from containers): the
/// certificate service, the three TLS members, their health checks, and the etcdctl service.
/// </summary>
[Collection(ReleaseCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class DockerComposeTests
{
    private static readonly string[] Members = ["s1", "s2", "s3"];

    private readonly ReleaseBinary _release;

    public DockerComposeTests(ReleaseBinary release)
    {
        _release = release;
    }

    [Fact]
    public void The_image_runs_as_a_non_root_user_and_takes_etcds_command_line()
    {
        var image = DockerfileFacts.Load(Path.Combine(RepoPaths.RepoRoot, "docker", "Dockerfile"));
        Assert.DoesNotContain(image.User, (string[])["root", "0", "0:0"]);
        Assert.Equal(["etcd"], image.Command);
        Assert.Equal("docker/entrypoint.sh", image.CopiedFromRepository[image.Entrypoint.Single()]);
    }

    [Fact]
    public async Task Compose_services_make_certificates_once_start_three_tls_members_pass_health_checks_and_serve_etcdctl()
    {
        var compose = ComposeFile.Load(Path.Combine(RepoPaths.RepoRoot, "docker-compose.yml"));
        var image = DockerfileFacts.Load(Path.Combine(RepoPaths.RepoRoot, "docker", "Dockerfile"));
        using var containers = new LocalContainers(compose, image, _release.FilePath);

        var certs = compose.Services["certs"];
        CommandResult.AssertOk(await containers.RunAsync(certs));
        var certsDir = containers.VolumeDir(certs.Volumes.Keys.Single());
        var made = Directory.GetFiles(certsDir).Select(file => Path.GetFileName(file)).Order().ToArray();
        Assert.Equal(["ca-key.pem", "ca.pem", "root-key.pem", "root.pem", "s1-key.pem", "s1.pem", "s2-key.pem", "s2.pem", "s3-key.pem", "s3.pem"], made);
        // The certificates stay for later starts.
        var caBefore = await File.ReadAllTextAsync(Path.Combine(certsDir, "ca.pem"));
        Assert.Contains("kept", CommandResult.AssertOk(await containers.RunAsync(certs)).StdOut);
        Assert.Equal(caBefore, await File.ReadAllTextAsync(Path.Combine(certsDir, "ca.pem")));

        var members = new List<ServerProcess>();
        try
        {
            foreach (var name in Members)
            {
                members.Add(containers.Start(compose.Services[name]));
            }
            foreach (var name in Members)
            {
                var service = compose.Services[name];
                await Eventually.GetAsync(
                    async () => (await containers.RunAsync(service, service.Healthcheck)).ExitCode == 0 ? "healthy" : null,
                    ClusterNodes.StartTimeout,
                    () => $"{name}'s health check passing\n" + string.Join("\n", members.Select(member => member.Output)));
                var health = CommandResult.AssertOk(await containers.RunAsync(service, service.Healthcheck));
                Assert.Contains($"https://{name}:2379 is healthy", health.StdOut + health.StdErr);
            }

            var etcdctl = compose.Services["etcdctl"];
            Assert.Equal("OK", CommandResult.AssertOk(await containers.RunAsync(etcdctl, null, "put", "greeting", "hello")).StdOut.Trim());
            Assert.Equal("greeting\nhello\n", CommandResult.AssertOk(await containers.RunAsync(etcdctl, null, "get", "greeting")).StdOut);
            var memberList = CommandResult.AssertOk(await containers.RunAsync(etcdctl, null, "member", "list")).StdOut;
            foreach (var name in Members)
            {
                Assert.Contains($", started, {name}, https://{name}:2380, https://{name}:2379, false", memberList);
            }

            // Mutual TLS on the client port: without a client certificate the member does not answer.
            var withoutCertificate = etcdctl with
            {
                Environment = etcdctl.Environment.Where(variable => variable.Key is not ("ETCDCTL_CERT" or "ETCDCTL_KEY"))
                    .ToDictionary(variable => variable.Key, variable => variable.Value),
            };
            var anonymous = await containers.RunAsync(withoutCertificate, null, "--dial-timeout=3s", "--command-timeout=5s", "get", "greeting");
            Assert.NotEqual(0, anonymous.ExitCode);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
