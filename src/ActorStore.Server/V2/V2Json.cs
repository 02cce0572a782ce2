using System.Globalization;
using System.Text.Json;

namespace ActorStore.Server.V2;

/// <summary>
/// Events and errors as etcd's v2 API writes them: its field names and order, fields left out when empty as Go's
/// omitempty does, expirations in RFC 3339 with nanoseconds, and a newline after each body.
/// </summary>
public static class V2Json
{
    public static byte[] Event(V2Event e, bool withoutNodes = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("action", e.Action);
            if (!withoutNodes)
            {
                writer.WritePropertyName("node");
                WriteNode(writer, e.Node);
                if (e.PrevNode is { } prev)
                {
                    writer.WritePropertyName("prevNode");
                    WriteNode(writer, prev);
                }
            }
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static byte[] Error(V2Error error) => Error(error.ErrorCode, error.Message, error.Cause, error.Index);

    public static byte[] Error(int errorCode, string message, string cause, ulong index)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("errorCode", errorCode);
            writer.WriteString("message", message);
            if (cause.Length > 0)
            {
                writer.WriteString("cause", cause);
            }
            writer.WriteNumber("index", index);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteNode(Utf8JsonWriter writer, V2NodeView node)
    {
        writer.WriteStartObject();
        if (node.Key.Length > 0)
        {
            writer.WriteString("key", node.Key);
        }
        if (node.Value is { } value)
        {
            writer.WriteString("value", value);
        }
        if (node.Dir)
        {
            writer.WriteBoolean("dir", true);
        }
        if (node.ExpirationNanos != 0)
        {
            writer.WriteString("expiration", Rfc3339Nano(node.ExpirationNanos));
        }
        if (node.Ttl != 0)
        {
            writer.WriteNumber("ttl", node.Ttl);
        }
        if (node.Nodes is { Count: > 0 } nodes)
        {
            writer.WriteStartArray("nodes");
            foreach (var child in nodes)
            {
                WriteNode(writer, child);
            }
            writer.WriteEndArray();
        }
        if (node.ModifiedIndex != 0)
        {
            writer.WriteNumber("modifiedIndex", node.ModifiedIndex);
        }
        if (node.CreatedIndex != 0)
        {
            writer.WriteNumber("createdIndex", node.CreatedIndex);
        }
        writer.WriteEndObject();
    }

    /// <summary>Go's RFC3339Nano in UTC: the fraction without trailing zeros, none when whole.</summary>
    public static string Rfc3339Nano(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        var text = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        if (nanos != 0)
        {
            text += "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        }
        return text + "Z";
    }
}
