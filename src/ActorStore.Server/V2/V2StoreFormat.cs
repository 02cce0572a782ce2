using System.Text.Json;

namespace ActorStore.Server.V2;

/// <summary>
/// The v2 store in a Raft snapshot: its index and its tree as JSON (expirations as absolute times, so a restored
/// member expires keys when the others do). The watch history is not kept, as a restart ends every watch anyway.
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
