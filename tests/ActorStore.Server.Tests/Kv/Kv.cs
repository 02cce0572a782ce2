using ActorStore.Mvcc;
using ActorStore.Server.Kv;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Server.Tests.Kv;

/// <summary>Shorthands for building KV requests and reading responses in tests.</summary>
internal static class Kv
{
    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static readonly string FromKey = "\0";

    public static KvApplier NewApplier(MvccStore? store = null, params long[] leases) =>
        new(store ?? new MvccStore(), lease => Array.IndexOf(leases, lease) >= 0);

    public static PutResponse Put(this KvApplier applier, string key, string value, long lease = 0) =>
        applier.Put(new PutRequest { Key = B(key), Value = B(value), Lease = lease });

    public static RangeRequest Range(string key, string? end = null) =>
        new() { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end) };

    public static RequestOp PutOp(string key, string value) =>
        new() { RequestPut = new PutRequest { Key = B(key), Value = B(value) } };

    public static RequestOp RangeOp(string key, string? end = null, long revision = 0, bool countOnly = false)
    {
        var range = Range(key, end);
        range.Revision = revision;
        range.CountOnly = countOnly;
        return new RequestOp { RequestRange = range };
    }

    public static RequestOp DeleteOp(string key, string? end = null) =>
        new() { RequestDeleteRange = new DeleteRangeRequest { Key = B(key), RangeEnd = end is null ? ByteString.Empty : B(end) } };

    public static RequestOp TxnOp(TxnRequest txn) => new() { RequestTxn = txn };

    public static TxnRequest Txn(IEnumerable<Compare>? compare = null, IEnumerable<RequestOp>? success = null, IEnumerable<RequestOp>? failure = null)
    {
        var txn = new TxnRequest();
        txn.Compare.AddRange(compare ?? []);
        txn.Success.AddRange(success ?? []);
        txn.Failure.AddRange(failure ?? []);
        return txn;
    }

    /// <summary>"key=value@create/mod/version" for each key-value: compact, readable assertions.</summary>
    public static string Describe(IEnumerable<KeyValue> kvs) =>
        string.Join(" ", kvs.Select(kv => $"{kv.Key.ToStringUtf8()}={kv.Value.ToStringUtf8()}@{kv.CreateRevision}/{kv.ModRevision}/{kv.Version}"));

    public static string Keys(IEnumerable<KeyValue> kvs) => string.Join(",", kvs.Select(kv => kv.Key.ToStringUtf8()));
}
