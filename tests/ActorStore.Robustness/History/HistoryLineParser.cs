using System.Text.Json;

namespace ActorStore.Robustness.History;

/// <summary>
/// Turns one history line into its record. Read field by field rather than deserialized, so that a missing or
/// mistyped field is reported by name, and Go's null for an empty list is read as empty.
/// </summary>
internal static class HistoryLineParser
{
    public static object Parse(string line, string source, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"expected a JSON object, got {root.ValueKind}");
            }
            var kind = String(root, "kind");
            return kind switch
            {
                "op" => Operation(root),
                "watch" => new WatchResponseRecord(String(root, "member"), (int)Long(root, "segment"), Long(root, "start"),
                    List(root, "events", WatchEvent)),
                "watchend" => new WatchEndRecord(String(root, "member"), Bool(root, "complete"), Long(root, "last_revision")),
                "state" => new StateRecord(Long(root, "revision"), List(root, "kvs", KeyValue)),
                "final" => new FinalRecord(Long(root, "revision"), Long(root, "ops")),
                _ => throw new FormatException($"unknown kind \"{kind}\""),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new HistoryFormatException(source, lineNumber, $"{e.Message} in: {Shorten(line)}", e);
        }
    }

    private static OperationRecord Operation(JsonElement op) => new()
    {
        Client = (int)Long(op, "client"),
        Member = OptionalString(op, "member"),
        Id = Long(op, "id"),
        Type = OperationTypeOf(String(op, "type")),
        Key = String(op, "key"),
        Key2 = OptionalString(op, "key2"),
        Value = OptionalString(op, "value"),
        Expect = OptionalString(op, "expect"),
        Call = Long(op, "call"),
        Return = Long(op, "return"),
        Ok = Bool(op, "ok"),
        Error = OptionalString(op, "error"),
        Revision = OptionalLong(op, "revision"),
        Succeeded = op.TryGetProperty("succeeded", out var succeeded) && succeeded.ValueKind != JsonValueKind.Null && Bool(op, "succeeded"),
        Prev = OptionalKeyValue(op, "prev"),
        Kvs = List(op, "kvs", KeyValue),
        Deleted = OptionalLong(op, "deleted"),
    };

    private static OperationType OperationTypeOf(string type) => type switch
    {
        "get" => OperationType.Get,
        "range" => OperationType.Range,
        "put" => OperationType.Put,
        "delete" => OperationType.Delete,
        "cas" => OperationType.Cas,
        "create" => OperationType.Create,
        "txn2" => OperationType.Txn2,
        _ => throw new FormatException($"unknown op type \"{type}\""),
    };

    private static WatchEventRecord WatchEvent(JsonElement e)
    {
        var type = String(e, "type") switch
        {
            "PUT" => WatchEventType.Put,
            "DELETE" => WatchEventType.Delete,
            var other => throw new FormatException($"unknown watch event type \"{other}\""),
        };
        var kv = OptionalKeyValue(e, "kv") ?? throw new FormatException("watch event without \"kv\"");
        return new WatchEventRecord(type, kv, OptionalKeyValue(e, "prev_kv"));
    }

    private static KeyValueRecord KeyValue(JsonElement kv) =>
        new(String(kv, "key"), OptionalString(kv, "value"), OptionalLong(kv, "create_revision"), Long(kv, "mod_revision"),
            OptionalLong(kv, "version"));

    private static KeyValueRecord? OptionalKeyValue(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var kv) && kv.ValueKind != JsonValueKind.Null ? KeyValue(Expect(kv, name, JsonValueKind.Object)) : null;

    private static IReadOnlyList<T> List<T>(JsonElement parent, string name, Func<JsonElement, T> read)
    {
        if (!parent.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        return Expect(list, name, JsonValueKind.Array).EnumerateArray().Select(read).ToArray();
    }

    private static string String(JsonElement parent, string name) =>
        Expect(Required(parent, name), name, JsonValueKind.String).GetString()!;

    private static string OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? Expect(value, name, JsonValueKind.String).GetString()!
            : "";

    private static long Long(JsonElement parent, string name) => Integer(Required(parent, name), name);

    private static long OptionalLong(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Integer(value, name) : 0;

    private static long Integer(JsonElement value, string name) =>
        Expect(value, name, JsonValueKind.Number).TryGetInt64(out var number)
            ? number
            : throw new FormatException($"\"{name}\" is not a 64-bit integer: {value.GetRawText()}");

    private static bool Bool(JsonElement parent, string name)
    {
        var value = Required(parent, name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"\"{name}\" should be a boolean, is {value.ValueKind}"),
        };
    }

    private static JsonElement Required(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) ? value : throw new FormatException($"missing \"{name}\"");

    private static JsonElement Expect(JsonElement value, string name, JsonValueKind kind) =>
        value.ValueKind == kind ? value : throw new FormatException($"\"{name}\" should be {kind}, is {value.ValueKind}");

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
