using System.Text;
using System.Text.Json;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>Reads the answers of `etcdctl put|get -w json` (keys and values come base64-encoded).</summary>
public static class KvJson
{
    public static long HeaderRevision(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("header").GetProperty("revision").GetInt64();
    }

    /// <summary>Key to (value, mod revision) of every kv in a get answer.</summary>
    public static Dictionary<string, (string Value, long ModRevision)> KeyValues(string json)
    {
        using var document = JsonDocument.Parse(json);
        var kvs = new Dictionary<string, (string, long)>();
        if (document.RootElement.TryGetProperty("kvs", out var list))
        {
            foreach (var kv in list.EnumerateArray())
            {
                kvs[Text(kv, "key")] = (Text(kv, "value"), kv.GetProperty("mod_revision").GetInt64());
            }
        }
        return kvs;
    }

    private static string Text(JsonElement kv, string name) =>
        kv.TryGetProperty(name, out var bytes) ? Encoding.UTF8.GetString(bytes.GetBytesFromBase64()) : "";
}
