using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ActorStore.EndToEnd.V2;

/// <summary>
/// Sets aside what differs between two servers that saw the same requests: store indexes (etcd's also count its own
/// internal writes), expiration times, in-order key names (made of indexes) and numbers inside compare causes. TTLs
/// are kept as present or not, since a second may tick between the two requests.
/// </summary>
public static partial class V2Normalizer
{
    public static string Normalize(JsonNode? body)
    {
        if (body is null)
        {
            return "<no json>";
        }
        var copy = JsonNode.Parse(body.ToJsonString())!;
        var inOrderNames = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(copy, inOrderNames);
        return copy.ToJsonString();
    }

    private static void Walk(JsonNode node, Dictionary<string, string> inOrderNames)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                switch (name)
                {
                    case "modifiedIndex" or "createdIndex" or "index":
                        obj[name] = "N";
                        break;
                    case "expiration":
                        obj[name] = "T";
                        break;
                    case "ttl":
                        obj[name] = "TTL";
                        break;
                    case "key" when value is JsonValue key:
                        obj[name] = InOrderName().Replace(key.GetValue<string>(), m =>
                        {
                            if (!inOrderNames.TryGetValue(m.Value, out var placeholder))
                            {
                                inOrderNames[m.Value] = placeholder = "/#" + inOrderNames.Count;
                            }
                            return placeholder;
                        });
                        break;
                    case "cause" when value is JsonValue cause:
                        obj[name] = Digits().Replace(cause.GetValue<string>(), "N");
                        break;
                    default:
                        if (value is not null)
                        {
                            Walk(value, inOrderNames);
                        }
                        break;
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is not null)
                {
                    Walk(item, inOrderNames);
                }
            }
        }
    }

    [GeneratedRegex("/[0-9]{20}")]
    private static partial Regex InOrderName();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
