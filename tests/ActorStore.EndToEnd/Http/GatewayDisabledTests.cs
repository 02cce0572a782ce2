using System.Net;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>--enable-grpc-gateway=false: no /v3/* over HTTP, while health and metrics stay, as in etcd 3.4.23.</summary>
public sealed class GatewayDisabledTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Without_the_gateway_v3_paths_are_not_found(MemberKind kind)
    {
        await using var node = await MemberNode.StartAsync(kind, "--enable-grpc-gateway=false");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var range = await GatewayHttp.PostAsync(http, node.ClientUrl, "/v3/kv/range", "{\"key\":\"YQ==\"}");
        Assert.Equal(HttpStatusCode.NotFound, range.Status);
        Assert.Equal("{\"health\":\"true\"}", await http.GetStringAsync(node.ClientUrl + "/health"));
        Assert.Contains("etcd_server_has_leader 1", await http.GetStringAsync(node.ClientUrl + "/metrics"), StringComparison.Ordinal);
    }
}
