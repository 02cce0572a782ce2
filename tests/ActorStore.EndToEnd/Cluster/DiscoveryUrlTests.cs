using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>
/// Three members bootstrapped from a discovery URL (etcd's protocol on a v2 keys registry), with no --initial-cluster:
/// they register, wait for each other and form one cluster; a fourth member finds the cluster full. The registry is
/// real etcd 3.4.23 with --enable-v2, or ActorStore's own v2 API; the same test with etcd members checks the test.
/// </summary>
public sealed class DiscoveryUrlTests
{
    [Theory]
    [InlineData(MemberKind.ActorStore, MemberKind.Etcd)]
    [InlineData(MemberKind.Etcd, MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore, MemberKind.ActorStore)]
    [InlineData(MemberKind.Etcd, MemberKind.ActorStore)]
    public async Task Three_members_form_one_cluster_from_a_discovery_url_and_a_fourth_finds_it_full(MemberKind kind, MemberKind registryKind)
    {
        await using var registry = await MemberNode.StartAsync(registryKind, "--enable-v2");
        var discovery = $"{registry.ClientUrl}/v2/keys/discovery/{Guid.NewGuid():N}";
        using var http = new HttpClient();
        using (var size = await http.PutAsync(discovery + "/_config/size", new FormUrlEncodedContent([new("value", "3")])))
        {
            Assert.True(size.IsSuccessStatusCode, await size.Content.ReadAsStringAsync());
        }

        using var dir = new TempDir();
        var members = new List<(ServerProcess Process, string ClientUrl)>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = $"http://127.0.0.1:{FreePorts.Next()}";
                var peer = $"http://127.0.0.1:{FreePorts.Next()}";
                string[] flags =
                [
                    "--name", $"m{i}", "--data-dir", Path.Combine(dir.Path, $"m{i}"),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--discovery", discovery, "--discovery-fallback", "exit",
                ];
                var process = kind == MemberKind.ActorStore
                    ? ServerProcess.Start("dotnet", [RepoPaths.ActorStoreDll, .. flags])
                    : ServerProcess.Start("etcd", flags);
                members.Add((process, client));
                if (i == 2)
                {
                    foreach (var (member, url) in members)
                    {
                        await member.WaitHealthyAsync(url + "/health", TimeSpan.FromSeconds(90));
                    }
                }
            }

            var late = members[3].Process;
            Assert.Equal(1, await late.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("discovery: cluster is full", late.Output, StringComparison.Ordinal);

            var etcdctl = new Etcdctl(members[0].ClientUrl);
            var list = await etcdctl.RunAsync("member", "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            Assert.Equal(["m0", "m1", "m2"], list.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(", ")[2]).Order());
            Assert.Equal(0, (await etcdctl.RunAsync("put", "found", "each-other")).ExitCode);
            Assert.Contains("each-other", (await new Etcdctl(members[2].ClientUrl).RunAsync("get", "found")).StdOut, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (process, _) in members)
            {
                await process.DisposeAsync();
            }
        }
    }
}
