using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ActorStore.Discovery;

/// <summary>
/// A discovery registry reached over HTTP as etcd's v2 client reaches it: the discovery URL's path is the
/// registry's directory, keys are requested under the URL's scheme and host (so both discovery.etcd.io/TOKEN and
/// http://host:2379/v2/keys/some/dir work), values travel form-encoded, answers are the v2 API's JSON.
/// </summary>
public sealed class HttpDiscoveryRegistry(HttpClient http, Uri endpoint) : IDiscoveryRegistry
{
    private const int KeyNotFound = 100;
    private const int NodeExist = 105;

    public async Task<RegistryNode?> GetAsync(string key, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Get, key + "?quorum=false&recursive=false&sorted=false", null, ct).ConfigureAwait(false);
        return answer.ErrorCode == KeyNotFound ? null : answer.Node ?? throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
    }

    public async Task<(IReadOnlyList<RegistryNode> Children, ulong Index)> ListAsync(string directory, CancellationToken ct)
    {
        var answer = await SendAsync(HttpMethod.Get, directory + "?quorum=false&recursive=false&sorted=false", null, ct).ConfigureAwait(false);
        if (answer.ErrorCode is { } code)
        {
            throw new DiscoveryFailedException($"{answer.Message} ({code})");
        }
        return (answer.Children, answer.Index);
    }

    public async Task<RegistryNode?> CreateAsync(string key, string value, CancellationToken ct)
    {
        var form = new FormUrlEncodedContent([new("value", value), new("prevExist", "false")]);
        var answer = await SendAsync(HttpMethod.Put, key, form, ct).ConfigureAwait(false);
        if (answer.ErrorCode == NodeExist)
        {
            return null;
        }
        if (answer.ErrorCode is { } code)
        {
            throw new DiscoveryFailedException($"{answer.Message} ({code})");
        }
        return answer.Node ?? throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
    }

    public async Task<RegistryNode> WaitAsync(string key, ulong waitIndex, bool recursive, CancellationToken ct)
    {
        var query = $"?wait=true&waitIndex={waitIndex.ToString(CultureInfo.InvariantCulture)}&recursive={(recursive ? "true" : "false")}";
        while (true)
        {
            // A long poll the registry ends without an event (an empty body) is asked again, as etcd's client does.
            var answer = await SendAsync(HttpMethod.Get, key + query, null, ct, emptyIsRetry: true).ConfigureAwait(false);
            if (answer.Empty)
            {
                continue;
            }
            if (answer.ErrorCode is { } code)
            {
                throw new DiscoveryFailedException($"{answer.Message} ({code})");
            }
            return answer.Node ?? throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
        }
    }

    private async Task<Answer> SendAsync(HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken ct, bool emptyIsRetry = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint, pathAndQuery)) { Content = content };
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryUnreachableException(e.Message, e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new RegistryUnreachableException("the discovery service did not answer in time", e);
        }
        using (response)
        {
            if ((int)response.StatusCode >= 500)
            {
                throw new RegistryUnreachableException($"the discovery service answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            if (emptyIsRetry && response.StatusCode == HttpStatusCode.OK && body.Length == 0)
            {
                return new Answer(null, [], 0, null, null, Empty: true);
            }
            return Parse(body, response);
        }
    }

    private static Answer Parse(string body, HttpResponseMessage response)
    {
        var index = response.Headers.TryGetValues("X-Etcd-Index", out var values)
            && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
            }
            if (root.TryGetProperty("errorCode", out var code) && code.TryGetInt32(out var errorCode))
            {
                var message = root.TryGetProperty("message", out var text) ? text.GetString() ?? "" : "";
                return new Answer(null, [], index, errorCode, message, Empty: false);
            }
            if (!root.TryGetProperty("node", out var node) || node.ValueKind != JsonValueKind.Object)
            {
                throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
            }
            var children = node.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array
                ? nodes.EnumerateArray().Select(NodeOf).ToArray()
                : [];
            return new Answer(NodeOf(node), children, index, null, null, Empty: false);
        }
        catch (JsonException)
        {
            throw new DiscoveryFailedException(DiscoveryFailedException.BadDiscoveryEndpoint);
        }
    }

    private static RegistryNode NodeOf(JsonElement node) => new(
        node.TryGetProperty("key", out var key) ? key.GetString() ?? "" : "",
        node.TryGetProperty("value", out var value) ? value.GetString() ?? "" : "",
        node.TryGetProperty("createdIndex", out var created) && created.TryGetUInt64(out var c) ? c : 0,
        node.TryGetProperty("modifiedIndex", out var modified) && modified.TryGetUInt64(out var m) ? m : 0);

    private sealed record Answer(RegistryNode? Node, IReadOnlyList<RegistryNode> Children, ulong Index, int? ErrorCode, string? Message, bool Empty);
}
