using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Http;

/// <summary>
/// The seeds' curl commands, sent with HttpClient to ActorStore and to real etcd alike, and their answers compared
/// after the values that differ between two clusters by nature (ids, terms, ports, lease TTLs counting down) are
/// set aside. Revisions are compared as they are: both servers see the same writes in the same order.
/// </summary>
public static partial class GatewayHttp
{
    public static async Task<HttpAnswer> PostAsync(HttpClient http, string baseUrl, string path, string body, string? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + path)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/x-www-form-urlencoded")),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        using var response = await http.SendAsync(request);
        return new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpAnswer> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        return new HttpAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    /// <summary>POSTs to both servers (etcd first) and asserts the same status, content type and normalised body.</summary>
    public static async Task<(HttpAnswer Etcd, HttpAnswer ActorStore)> SameAsync(HttpClient http, PairFixture pair, string path, string body)
    {
        var etcd = await PostAsync(http, pair.Etcd.ClientUrl, path, body);
        var actorStore = await PostAsync(http, pair.ActorStore.ClientUrl, path, body);
        AssertSame(path + " " + body, etcd, actorStore);
        return (etcd, actorStore);
    }

    public static void AssertSame(string what, HttpAnswer etcd, HttpAnswer actorStore)
    {
        Assert.True(etcd.Status == actorStore.Status, $"{what}: status\netcd: {etcd}\nactorstore: {actorStore}");
        Assert.True(etcd.ContentType == actorStore.ContentType, $"{what}: content type\netcd: {etcd}\nactorstore: {actorStore}");
        Assert.Equal(Normalize(etcd.Body), Normalize(actorStore.Body));
    }

    /// <summary>Ids, terms, ports and remaining TTLs replaced by placeholders; everything else kept.</summary>
    public static string Normalize(string json)
    {
        json = Ids().Replace(json, "\"$1\":\"<id>\"");
        json = Ports().Replace(json, "127.0.0.1:<port>");
        json = Ttls().Replace(json, "\"TTL\":\"<ttl>\"");
        return json;
    }

    /// <summary>The string value of a top-level JSON field ("ID" of a lease grant, say).</summary>
    public static string Field(string json, string name) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty(name).GetString()!;

    [GeneratedRegex("\"(cluster_id|member_id|raft_term|ID|memberID|leader|raftTerm)\":\"\\d+\"")]
    private static partial Regex Ids();

    [GeneratedRegex("127\\.0\\.0\\.1:\\d+")]
    private static partial Regex Ports();

    [GeneratedRegex("\"TTL\":\"\\d+\"")]
    private static partial Regex Ttls();
}
