using System.Net;
using System.Text.Json.Nodes;

namespace ActorStore.EndToEnd.V2;

/// <summary>A v2 answer: status, the v2 headers, and the JSON body (null when the body is not JSON).</summary>
public sealed record V2Answer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode? Json => Body.Length > 0 && Body.TrimStart().StartsWith('{') ? JsonNode.Parse(Body) : null;

    public static async Task<V2Answer> ReadAsync(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "X-Etcd-Index", "X-Raft-Index", "X-Raft-Term", "X-Etcd-Cluster-ID" })
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                headers[name] = values.First();
            }
        }
        return new V2Answer(response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    public override string ToString() => $"{(int)Status} [{string.Join(", ", Headers.Keys.Order())}] {Body}";
}
