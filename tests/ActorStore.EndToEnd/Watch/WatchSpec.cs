using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// What a watcher asked for: a key, a range [Key, RangeEnd) ("\0" as the end means every key from Key on; no end means
/// the key alone), whether it wants the previous key-values, and which event types it filters out.
/// </summary>
public sealed record WatchSpec(string Key, string RangeEnd = "", bool PrevKv = false, bool NoPut = false, bool NoDelete = false)
{
    public static WatchSpec Prefix(string prefix, bool prevKv = false, bool noPut = false, bool noDelete = false) =>
        new(prefix, PrefixEnd(prefix), prevKv, noPut, noDelete);

    public bool Covers(string key) =>
        RangeEnd.Length == 0
            ? string.Equals(key, Key, StringComparison.Ordinal)
            : string.CompareOrdinal(key, Key) >= 0 && (RangeEnd == "\0" || string.CompareOrdinal(key, RangeEnd) < 0);

    /// <summary>True when the watcher gets this event: its key is in range and its type is not filtered out.</summary>
    public bool Wants(Mvccpb.Event e) => Covers(e.Kv.Key.ToStringUtf8()) && !Filters(e.Type);

    public bool Filters(Mvccpb.Event.Types.EventType type) =>
        type == Mvccpb.Event.Types.EventType.Put ? NoPut : NoDelete;

    public WatchCreateRequest ToCreateRequest(long startRevision)
    {
        var create = new WatchCreateRequest
        {
            Key = ByteString.CopyFromUtf8(Key),
            RangeEnd = ByteString.CopyFromUtf8(RangeEnd),
            StartRevision = startRevision,
            PrevKv = PrevKv,
        };
        if (NoPut)
        {
            create.Filters.Add(WatchCreateRequest.Types.FilterType.Noput);
        }
        if (NoDelete)
        {
            create.Filters.Add(WatchCreateRequest.Types.FilterType.Nodelete);
        }
        return create;
    }

    public override string ToString() =>
        $"[{Key}, {(RangeEnd.Length == 0 ? "(key)" : RangeEnd == "\0" ? "(from key)" : RangeEnd)})" +
        (PrevKv ? " prev_kv" : "") + (NoPut ? " noput" : "") + (NoDelete ? " nodelete" : "");

    private static string PrefixEnd(string prefix)
    {
        var chars = prefix.ToCharArray();
        chars[^1]++;
        return new string(chars);
    }
}
