using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// --peer-cert-allowed-cn: members whose certificates all carry the allowed CN form a cluster; a peer whose
/// certificate is signed by the same CA but names another CN is refused when it dials and when it is dialed, and the
/// cluster keeps serving. Real etcd 3.4.23 and ActorStore, one shared cluster per kind.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PeerAllowedCnTests : IClassFixture<AllowedCnClusters>
{
    private readonly AllowedCnClusters _clusters;
    private readonly ITestOutputHelper _output;

    public PeerAllowedCnTests(AllowedCnClusters clusters, ITestOutputHelper output)
    {
        _clusters = clusters;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Members_with_the_allowed_cn_form_a_cluster(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        await PeerTlsAssertions.FormedAndReplicatingAsync(cluster, "cn/rw/");
        var handshake = await TlsProbe.HandshakeAsync(cluster[0].PeerPort, pki.Authority.CertFile, pki.Member("m2"));
        Assert.Contains($"subject=CN = {PeerPki.AllowedCn}", handshake.StdOut);
        Assert.Contains("Verify return code: 0 (ok)", handshake.StdOut);
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task A_peer_with_another_cn_is_refused_both_ways(MemberKind kind)
    {
        var cluster = await _clusters.GetAsync(kind);
        var pki = await _clusters.PkiAsync();
        await IntruderScenario.RunAsync(cluster, pki, PeerTlsErrors.NotAllowed, ["m4", "localhost"], "cn/intruder/", _output);
    }
}
