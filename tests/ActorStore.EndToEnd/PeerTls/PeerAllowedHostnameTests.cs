using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// --peer-cert-allowed-hostname: members whose certificates are all valid for the allowed host name form a cluster;
/// a peer whose certificate is signed by the same CA but not valid for that name is refused when it dials and when it
/// is dialed, and the cluster keeps serving. Real etcd 3.4.23 and ActorStore, one shared cluster per kind.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PeerAllowedHostnameTests : IClassFixture<AllowedHostnameClusters>
{
    private readonly AllowedHostnameClusters _clusters;
    private readonly ITestOutputHelper _output;

    public PeerAllowedHostnameTests(AllowedHostnameClusters clusters, ITestOutputHelper output)
    {
        _clusters = clusters;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Members_valid_for_the_allowed_hostname_form_a_cluster(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        await PeerTlsAssertions.FormedAndReplicatingAsync(cluster, "hostname/rw/");
        var handshake = await TlsProbe.HandshakeAsync(cluster[0].PeerPort, pki.Authority.CertFile, pki.Member("m2"));
        Assert.Contains("subject=CN = m1", handshake.StdOut);
        Assert.Contains("Verify return code: 0 (ok)", handshake.StdOut);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_peer_not_valid_for_the_allowed_hostname_is_refused_both_ways(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        await IntruderScenario.RunAsync(cluster, pki, PeerTlsErrors.NotAllowed, ["m4", "localhost"], "hostname/intruder/", _output);
    }
}
