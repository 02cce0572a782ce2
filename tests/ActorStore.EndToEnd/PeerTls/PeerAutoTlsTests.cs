using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// --peer-auto-tls: with https:// peer URLs and no certificate given, each member makes its own self-signed one, and
/// the members form a cluster over TLS. Real etcd 3.4.23 and ActorStore.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PeerAutoTlsTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Members_with_auto_tls_form_a_cluster_over_https(MemberKind kind)
    {
        await using var cluster = await ClusterNodes.StartAsync(kind, new ClusterSpec
        {
            PeerScheme = "https",
            ExtraArgs = ["--logger=zap", "--peer-auto-tls"],
        });
        await PeerTlsAssertions.FormedAndReplicatingAsync(cluster, "autotls/rw/");

        foreach (var member in cluster.Members)
        {
            // No CA to check it against: only that the peer port speaks TLS with a certificate of the member's own.
            var handshake = await TlsProbe.HandshakeAsync(member.PeerPort, caFile: null, client: null);
            Assert.Contains("-----BEGIN CERTIFICATE-----", handshake.StdOut);
            Assert.DoesNotContain("no peer certificate available", handshake.StdOut);
        }

        // etcd 3.4.23 logs no "rejected connection" for it under auto TLS, so only the refusal itself is checked.
        var probe = await TlsProbe.PlainHttpAsync(cluster[0].PeerPort);
        Assert.False(probe.GotHttpAnswer, "a plain HTTP request got an HTTP answer from the peer port");
        Assert.True(probe.ClosedByServer, "the peer port kept a plain connection open");
    }
}
