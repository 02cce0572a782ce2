using System.Text.Json;

namespace ActorStore.Server.V2;

/// <summary>
/// etcd's v2 store statistics (/v2/stats/store): successes and failures per operation as this member applied or
/// served them, the keys it expired, and the watchers waiting on it. Kept in memory, as a restart starts them over.
/// </summary>
public sealed class V2StoreStats
{
    /// <summary>etcd's field names, in the order it writes them.</summary>
    private static readonly string[] Names =
    [
        "getsSuccess", "getsFail", "setsSuccess", "setsFail", "deleteSuccess", "deleteFail", "updateSuccess", "updateFail",
        "createSuccess", "createFail", "compareAndSwapSuccess", "compareAndSwapFail", "compareAndDeleteSuccess",
        "compareAndDeleteFail", "expireCount",
    ];

    private readonly Dictionary<string, ulong> _counts = Names.ToDictionary(name => name, _ => 0UL, StringComparer.Ordinal);

    public ulong this[string name] => _counts[name];

    internal void Increment(string name) => _counts[name]++;

    public byte[] ToJson(int watchers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var name in Names)
            {
                writer.WriteNumber(name, _counts[name]);
            }
            writer.WriteNumber("watchers", watchers);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
