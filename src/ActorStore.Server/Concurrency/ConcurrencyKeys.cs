using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// Keys and requests shared by locks and elections: contenders of one name own keys "name/&lt;lease in hex&gt;", and the
/// one with the lowest create revision under "name/" holds the lock or leads.
/// </summary>
internal static class ConcurrencyKeys
{
    /// <summary>The prefix all contenders of <paramref name="name"/> share: the name and a slash.</summary>
    public static ByteString PrefixOf(ByteString name)
    {
        var prefix = new byte[name.Length + 1];
        name.Span.CopyTo(prefix);
        prefix[^1] = (byte)'/';
        return UnsafeByteOperations.UnsafeWrap(prefix);
    }

    /// <summary>A contender's key: the prefix and its lease id in lowercase hex (as Go's %x prints an int64).</summary>
    public static ByteString KeyOf(ByteString prefix, long lease)
    {
        var hex = lease >= 0
            ? lease.ToString("x", CultureInfo.InvariantCulture)
            : "-" + (unchecked((ulong)-(lease + 1)) + 1).ToString("x", CultureInfo.InvariantCulture);
        var key = new byte[prefix.Length + hex.Length];
        prefix.Span.CopyTo(key);
        for (var i = 0; i < hex.Length; i++)
        {
            key[prefix.Length + i] = (byte)hex[i];
        }
        return UnsafeByteOperations.UnsafeWrap(key);
    }

    /// <summary>The end of the range holding every key that starts with <paramref name="prefix"/>.</summary>
    public static ByteString PrefixEnd(ByteString prefix)
    {
        var span = prefix.Span;
        for (var i = span.Length - 1; i >= 0; i--)
        {
            if (span[i] < 0xff)
            {
                var end = span[..(i + 1)].ToArray();
                end[i]++;
                return UnsafeByteOperations.UnsafeWrap(end);
            }
        }
        // Only 0xff bytes: no key sorts after the prefix's keys, so the range runs to the end of the keyspace.
        return UnsafeByteOperations.UnsafeWrap(new byte[] { 0 });
    }

    /// <summary>The contender under <paramref name="prefix"/> that was created first: the holder or leader.</summary>
    public static RangeRequest FirstCreated(ByteString prefix) => new()
    {
        Key = prefix,
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Ascend,
        Limit = 1,
    };

    /// <summary>The newest contender under <paramref name="prefix"/> created at or before <paramref name="maxCreateRevision"/>.</summary>
    public static RangeRequest LastCreatedUpTo(ByteString prefix, long maxCreateRevision) => new()
    {
        Key = prefix,
        RangeEnd = PrefixEnd(prefix),
        SortTarget = RangeRequest.Types.SortTarget.Create,
        SortOrder = RangeRequest.Types.SortOrder.Descend,
        Limit = 1,
        MaxCreateRevision = maxCreateRevision,
    };

    /// <summary>True while <paramref name="key"/> has create revision <paramref name="createRevision"/> (0: absent).</summary>
    public static Compare CreatedAt(ByteString key, long createRevision) => new()
    {
        Key = key,
        Target = Compare.Types.CompareTarget.Create,
        Result = Compare.Types.CompareResult.Equal,
        CreateRevision = createRevision,
    };

    /// <summary>
    /// The create revision of a contender's key after the txn that joins it (put if absent, else get the key first):
    /// the txn's own revision when it wrote the key, else the revision the key was created at before.
    /// </summary>
    public static long CreateRevisionAfterJoin(TxnResponse joined) =>
        joined.Succeeded ? joined.Header.Revision : joined.Responses[0].ResponseRange.Kvs[0].CreateRevision;

    public static RequestOp Put(ByteString key, ByteString value, long lease) =>
        new() { RequestPut = new PutRequest { Key = key, Value = value, Lease = lease } };

    public static RequestOp Get(ByteString key) => new() { RequestRange = new RangeRequest { Key = key } };

    public static RequestOp Get(RangeRequest range) => new() { RequestRange = range };

    public static RequestOp Delete(ByteString key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = key } };
}
