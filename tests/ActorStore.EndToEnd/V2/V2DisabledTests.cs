using System.Net;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.V2;

/// <summary>Without --enable-v2 (the default) the v2 paths answer 404, as etcd 3.4.23's do.</summary>
public sealed class V2DisabledTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Without_enable_v2_the_v2_paths_are_not_found(MemberKind kind)
    {
        await using var node = await MemberNode.StartAsync(kind);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.NotFound, (await V2Http.SendAsync(http, node.ClientUrl, "GET", "/v2/keys/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await V2Http.SendAsync(http, node.ClientUrl, "PUT", "/v2/keys/a", ("value", "b"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await V2Http.SendAsync(http, node.ClientUrl, "GET", "/v2/members")).Status);
    }
}
