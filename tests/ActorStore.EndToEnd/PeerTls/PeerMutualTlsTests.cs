using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// Three members talking to each other over mutual TLS (https:// peer URLs, --peer-client-cert-auth,
/// --peer-trusted-ca-file, a CRL, each member's own certificate) while clients use plain http: the cluster forms and
/// replicates, the peer port speaks TLS only and only to holders of a valid certificate, a killed leader is replaced
/// and comes back, and an intruder is kept out. Each runs against real etcd 3.4.23 and against ActorStore; the tests
/// share one cluster per kind and leave it whole.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PeerMutualTlsTests : IClassFixture<MutualTlsClusters>
{
    private readonly MutualTlsClusters _clusters;
    private readonly ITestOutputHelper _output;

    public PeerMutualTlsTests(MutualTlsClusters clusters, ITestOutputHelper output)
    {
        _clusters = clusters;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Members_with_https_peer_urls_form_one_cluster_and_replicate_writes(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        await PeerTlsAssertions.FormedAndReplicatingAsync(cluster, "mtls/rw/");
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Peer_port_presents_the_member_certificate(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        foreach (var member in cluster.Members)
        {
            // A client holding another member's certificate, as a peer would connect.
            var other = pki.Member(cluster.Members.First(peer => peer != member).Name);
            var handshake = await TlsProbe.HandshakeAsync(member.PeerPort, pki.Authority.CertFile, other);
            Assert.True(handshake.ExitCode == 0, $"{member.Name}: {handshake}\n{member.OutputTail()}");
            Assert.Contains($"subject=CN = {member.Name}", handshake.StdOut);
            Assert.Contains($"issuer=CN = {pki.Authority.Name}", handshake.StdOut);
            Assert.Contains("Verify return code: 0 (ok)", handshake.StdOut);
        }
        Assert.All(cluster.Members, member => Assert.True(member.IsRunning));
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Plain_http_to_a_peer_port_is_turned_away_at_the_tls_layer(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var member = cluster[0];
        // Only what is logged from now on: an earlier probe may have left from the same ephemeral port.
        var before = RejectedConnection.In(member.Process.Output).Count;
        var probe = await TlsProbe.PlainHttpAsync(member.PeerPort);
        Assert.False(probe.GotHttpAnswer, "a plain HTTP request got an HTTP answer from the peer port");
        Assert.True(probe.ClosedByServer, $"{member.Name} kept a plain connection open ({probe.Reply.Length} bytes received)");
        var rejected = await PeerTlsAssertions.RejectionAsync(member, before, r => r.RemoteAddr == probe.LocalAddress, "the plain connection from " + probe.LocalAddress);
        Assert.Equal(PeerTlsErrors.NotTls, rejected.Error);
        await AssertServingAsync(cluster, "mtls/after-plain");
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_peer_without_a_client_certificate_is_rejected(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        var member = cluster[1];
        var before = RejectedConnection.In(member.Process.Output).Count;
        // The probe stays connected as a peer would: .NET checks the client's certificate after its side of the
        // handshake, and a probe that hangs up first is logged as a closed channel instead.
        var handshake = await TlsProbe.HandshakeAsync(member.PeerPort, pki.Authority.CertFile, client: null, untilServerHangsUp: true);
        _output.WriteLine(handshake.ToString());
        var rejected = await PeerTlsAssertions.RejectionAsync(
            member, before, _ => true, "a handshake without a client certificate");
        _output.WriteLine(rejected.ToString());
        _output.WriteLine(member.OutputTail());
        Assert.Equal(PeerTlsErrors.NoClientCertificate, rejected.Error);
        Assert.StartsWith("127.0.0.1:", rejected.RemoteAddr);
        await AssertServingAsync(cluster, "mtls/after-no-cert");
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_peer_with_a_revoked_certificate_is_rejected(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        var member = cluster[2];
        var before = RejectedConnection.In(member.Process.Output).Count;
        var handshake = await TlsProbe.HandshakeAsync(member.PeerPort, pki.Authority.CertFile, pki.Revoked, untilServerHangsUp: true);
        _output.WriteLine(handshake.ToString());
        // The probe's own rejection (the certificate names m5): other refused connections may be logged meanwhile.
        var rejected = await PeerTlsAssertions.RejectionAsync(
            member, before, rejection => rejection.DnsNames.SequenceEqual(["m5"]), "a handshake with a revoked certificate");
        _output.WriteLine(rejected.ToString());
        Assert.Equal(PeerTlsErrors.Revoked(pki.Revoked!), rejected.Error);
        Assert.Equal(["m5"], rejected.DnsNames);
        await AssertServingAsync(cluster, "mtls/after-revoked");
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Killing_the_leader_lets_the_others_go_on_and_it_rejoins_over_tls(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        var leader = await cluster.LeaderAsync();
        try
        {
            await using var writer = new FailoverWriter(cluster.Endpoints, "mtls/failover/");
            writer.Start();
            await writer.WaitForAcknowledgementsAsync(TimeSpan.Zero, 30, TimeSpan.FromSeconds(30));
            var killedAt = writer.Now;
            await leader.KillHardAsync();
            var deadAt = writer.Now;
            await writer.WaitForAcknowledgementsAsync(deadAt, 30, TimeSpan.FromSeconds(30));
            await writer.StopAsync();
            var resumed = writer.FirstSentAfter(deadAt)!;
            var gap = resumed.AckedAt - killedAt;
            _output.WriteLine($"{kind}: writes resumed {gap.TotalMilliseconds:F0} ms after the leader ({leader.Name}) was killed, through {resumed.Endpoint}");
            Assert.True(gap < TimeSpan.FromSeconds(5), $"writes resumed only after {gap}\n{cluster.Logs()}");
            Assert.NotSame(leader, await cluster.LeaderAsync());

            var whileDown = CommandResult.AssertOk(await cluster.Etcdctl.RunAsync("put", "mtls/while-down", leader.Name, "-w", "json"));
            await leader.RestartAsync(ClusterNodes.StartTimeout);
            var statuses = await cluster.WaitForSameRaftIndexAsync();
            Assert.Equal(3, statuses.Count);

            // Read from the restarted member's own state: it caught up over its TLS peer links.
            var local = CommandResult.AssertOk(await leader.Etcdctl.RunAsync("get", "mtls/while-down", "--consistency=s", "-w", "json"));
            Assert.Equal((leader.Name, KvJson.HeaderRevision(whileDown.StdOut)), KvJson.KeyValues(local.StdOut)["mtls/while-down"]);
            var handshake = await TlsProbe.HandshakeAsync(leader.PeerPort, pki.Authority.CertFile, pki.Member(cluster.Members.First(m => m != leader).Name));
            Assert.Contains($"subject=CN = {leader.Name}", handshake.StdOut);
        }
        finally
        {
            await cluster.RestoreAsync(leader);
        }
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task An_intruder_with_a_certificate_from_another_ca_is_refused_both_ways(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        await IntruderScenario.RunAsync(cluster, pki, PeerTlsErrors.UnknownAuthority, inboundDnsNames: null, "mtls/intruder/", _output);
    }

    /// <summary>Every member still runs and takes a write.</summary>
    private static async Task AssertServingAsync(ClusterNodes cluster, string key)
    {
        foreach (var member in cluster.Members)
        {
            Assert.True(member.IsRunning, member.OutputTail());
            CommandResult.AssertOk(await member.Etcdctl.RunAsync("put", key, member.Name));
        }
    }
}
