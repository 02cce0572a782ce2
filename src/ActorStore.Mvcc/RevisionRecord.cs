using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Mvcc;

/// <summary>
/// One change stored at one revision: a put (the full key-value) or a tombstone (the key only).
/// Immutable once written, so its byte strings are shared with every response that reads it.
/// </summary>
public sealed class RevisionRecord
{
    private RevisionRecord(ByteString key, Revision revision, ByteString value, long createRevision, long version, long lease, bool isTombstone)
    {
        Key = key;
        Revision = revision;
        Value = value;
        CreateRevision = createRevision;
        Version = version;
        Lease = lease;
        IsTombstone = isTombstone;
    }

    public ByteString Key { get; }

    public Revision Revision { get; }

    public ByteString Value { get; }

    public long CreateRevision { get; }

    public long Version { get; }

    public long Lease { get; }

    public bool IsTombstone { get; }

    /// <summary>Set when a compaction removes the record from history.</summary>
    public bool Dropped { get; internal set; }

    /// <summary>The key index the record is still to be filed in (see <see cref="KeyIndex.PutUnsettled"/>); null once filed.</summary>
    internal KeyIndex? UnsettledOwner { get; set; }

    public static RevisionRecord Put(ByteString key, Revision revision, ByteString value, long createRevision, long version, long lease) =>
        new(key, revision, value, createRevision, version, lease, isTombstone: false);

    public static RevisionRecord Tombstone(ByteString key, Revision revision) =>
        new(key, revision, ByteString.Empty, 0, 0, 0, isTombstone: true);

    /// <summary>The key-value as a reader sees it; only meaningful for puts.</summary>
    public KeyValue ToKeyValue() => new()
    {
        Key = Key,
        CreateRevision = CreateRevision,
        ModRevision = Revision.Main,
        Version = Version,
        Value = Value,
        Lease = Lease,
    };

    /// <summary>
    /// The key-value carried by a watch event: a deletion carries only the key and the revision that deleted it.
    /// </summary>
    public KeyValue ToEventKeyValue() => IsTombstone
        ? new KeyValue { Key = Key, ModRevision = Revision.Main }
        : ToKeyValue();

    public override string ToString() => IsTombstone ? $"{Revision} tombstone" : $"{Revision} v{Version}";
}
