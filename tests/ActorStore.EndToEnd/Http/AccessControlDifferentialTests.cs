using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// --host-whitelist and --cors with lists, against etcd 3.4.23 started with the same flags: an unknown Host on a
/// plain-HTTP listener is refused with etcd's 421 text (DNS rebinding, CVE-2018-5702), a listed one is served, and only
/// a listed Origin gets CORS headers.
/// </summary>
public sealed class AccessControlDifferentialTests
{
    private static readonly string[] Flags = ["--host-whitelist", "a.example,127.0.0.1", "--cors", "http://app.example:8080,https://other.example:443"];

    [Fact]
    public async Task Unlisted_hosts_are_refused_and_only_listed_origins_get_cors_headers_as_in_etcd()
    {
        await using var etcd = await MemberNode.StartAsync(MemberKind.Etcd, Flags);
        await using var ours = await MemberNode.StartAsync(MemberKind.ActorStore, Flags);
        using var http = new HttpClient();

        foreach (var (host, origin) in new[]
        {
            ("evil.example:2379", "http://app.example:8080"),
            ("evil.example", ""),
            ("a.example:2379", "http://app.example:8080"),
            ("a.example", "http://app.example"),
            ("[::1]:2379", ""),
            ("127.0.0.1", "https://other.example:443"),
        })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/version"), (HttpMethod.Options, "/v3/kv/range") })
            {
                var expected = await AskAsync(http, etcd, method, path, host, origin);
                var actual = await AskAsync(http, ours, method, path, host, origin);
                Assert.Equal(expected.Status, actual.Status);
                Assert.Equal(expected.Cors, actual.Cors);
                if ((int)expected.Status == 421)
                {
                    Assert.Equal(expected.Body, actual.Body);
                    Assert.Equal(expected.ContentType, actual.ContentType);
                }
            }
        }
    }

    private static async Task<(System.Net.HttpStatusCode Status, string Cors, string Body, string? ContentType)> AskAsync(
        HttpClient http, MemberNode node, HttpMethod method, string path, string host, string origin)
    {
        using var request = new HttpRequestMessage(method, node.ClientUrl + path);
        request.Headers.Host = host;
        if (origin.Length > 0)
        {
            request.Headers.Add("Origin", origin);
        }
        using var response = await http.SendAsync(request);
        var cors = string.Join(" | ", new[] { "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers" }
            .Select(name => response.Headers.TryGetValues(name, out var values) ? $"{name}={string.Join(",", values)}" : $"{name} absent"));
        return (response.StatusCode, cors, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }
}
