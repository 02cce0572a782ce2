using System.Text.Json;

namespace ActorStore.Server.V2;

/// <summary>
/// The v2 store in a Raft snapshot: its index, its tree (expirations as absolute times, so a restored member expires
/// keys when the others do) and its event history (so a watcher's waitIndex reaches as far back after a restart), as
/// JSON. A snapshot without the history reads with an empty one.
/// </summary>
public static class V2StoreFormat
{
    public static byte[] ToBytes(V2Store store)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", store.CurrentIndex);
            writer.WritePropertyName("root");
            WriteNode(writer, store.Root);
            writer.WriteStartArray("history");
            foreach (var e in store.Watchers.History.Events)
            {
                WriteEvent(writer, e);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static V2Store FromBytes(ReadOnlySpan<byte> bytes, Func<long> nowNanos)
    {
        var store = new V2Store(nowNanos);
        using var document = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes.ToArray()));
        var root = ReadNode(document.RootElement.GetProperty("root"), null);
        store.Restore(root, document.RootElement.GetProperty("index").GetUInt64());
        if (document.RootElement.TryGetProperty("history", out var history))
        {
            foreach (var e in history.EnumerateArray())
            {
                store.Watchers.History.Add(ReadEvent(e));
            }
        }
        return store;
    }

    private static void WriteNode(Utf8JsonWriter writer, V2Node node)
    {
        writer.WriteStartObject();
        writer.WriteString("path", node.Path);
        writer.WriteNumber("created", node.CreatedIndex);
        writer.WriteNumber("modified", node.ModifiedIndex);
        writer.WriteNumber("expire", node.ExpireNanos);
        if (node.Children is { } children)
        {
            writer.WriteStartArray("children");
            foreach (var child in children.Values)
            {
                WriteNode(writer, child);
            }
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("value", node.Value);
        }
        writer.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter writer, V2Event e)
    {
        writer.WriteStartObject();
        writer.WriteString("action", e.Action);
        writer.WriteNumber("etcdIndex", e.EtcdIndex);
        writer.WriteBoolean("refresh", e.Refresh);
        writer.WritePropertyName("node");
        WriteView(writer, e.Node);
        if (e.PrevNode is { } prev)
        {
            writer.WritePropertyName("prevNode");
            WriteView(writer, prev);
        }
        writer.WriteEndObject();
    }

    /// <summary>An event's node: the events kept never list children.</summary>
    private static void WriteView(Utf8JsonWriter writer, V2NodeView view)
    {
        writer.WriteStartObject();
        writer.WriteString("key", view.Key);
        if (view.Value is { } value)
        {
            writer.WriteString("value", value);
        }
        writer.WriteBoolean("dir", view.Dir);
        writer.WriteNumber("expire", view.ExpirationNanos);
        writer.WriteNumber("ttl", view.Ttl);
        writer.WriteNumber("modified", view.ModifiedIndex);
        writer.WriteNumber("created", view.CreatedIndex);
        writer.WriteEndObject();
    }

    private static V2Event ReadEvent(JsonElement element) => new(
        element.GetProperty("action").GetString() ?? "",
        ReadView(element.GetProperty("node")),
        element.TryGetProperty("prevNode", out var prev) ? ReadView(prev) : null,
        element.GetProperty("etcdIndex").GetUInt64(),
        element.GetProperty("refresh").GetBoolean());

    private static V2NodeView ReadView(JsonElement element) => new(
        element.GetProperty("key").GetString() ?? "",
        element.TryGetProperty("value", out var value) ? value.GetString() : null,
        element.GetProperty("dir").GetBoolean(),
        element.GetProperty("expire").GetInt64(),
        element.GetProperty("ttl").GetInt64(),
        null,
        element.GetProperty("modified").GetUInt64(),
        element.GetProperty("created").GetUInt64());

    private static V2Node ReadNode(JsonElement element, V2Node? parent)
    {
        var isDir = element.TryGetProperty("children", out var children);
        var node = new V2Node(
            element.GetProperty("path").GetString() ?? throw new InvalidDataException("v2 snapshot node has no path"),
            parent,
            element.GetProperty("created").GetUInt64(),
            element.GetProperty("expire").GetInt64(),
            isDir ? null : element.GetProperty("value").GetString() ?? "")
        {
            ModifiedIndex = element.GetProperty("modified").GetUInt64(),
        };
        if (isDir)
        {
            foreach (var child in children.EnumerateArray())
            {
                var read = ReadNode(child, node);
                node.Children![read.Name] = read;
            }
        }
        return node;
    }
}
