using ActorStore.Mvcc;
using Etcdserverpb;

namespace ActorStore.Server.Quota;

/// <summary>
/// etcd's backend quota: what a write is charged (a put its key, value and 256 bytes of metadata, a lease 64 bytes)
/// and whether the backend has room for it. A negative quota turns the check off; 0 means etcd's 2 GiB.
/// </summary>
public sealed class BackendQuota
{
    /// <summary>etcd's DefaultQuotaBytes.</summary>
    public const long DefaultQuotaBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>etcd's leaseOverhead: what a granted lease is reckoned to take.</summary>
    public const int LeaseOverheadBytes = 64;

    private const int KeyValueOverheadBytes = MvccStore.RecordOverheadBytes;

    private readonly BackendSizeBoard _size;

    public BackendQuota(long quotaBackendBytes, BackendSizeBoard size)
    {
        _size = size;
        QuotaBytes = Effective(quotaBackendBytes);
    }

    /// <summary>The quota in force: the configured bytes, 2 GiB for 0, negative when turned off.</summary>
    public long QuotaBytes { get; }

    public static long Effective(long quotaBackendBytes) => quotaBackendBytes == 0 ? DefaultQuotaBytes : quotaBackendBytes;

    /// <summary>A request that adds nothing always fits; any other must leave the backend below the quota.</summary>
    public bool Fits(long cost) => cost == 0 || QuotaBytes < 0 || _size.Total + cost < QuotaBytes;

    public static long Cost(PutRequest put) => KeyValueOverheadBytes + put.Key.Length + put.Value.Length;

    /// <summary>A txn is charged for the costlier of its two branches, as only one of them runs.</summary>
    public static long Cost(TxnRequest txn) => Math.Max(BranchCost(txn.Success), BranchCost(txn.Failure));

    public static long Cost(LeaseGrantRequest grant) => LeaseOverheadBytes;

    // etcd charges the puts of a branch only, not those of nested txns.
    private static long BranchCost(IEnumerable<RequestOp> branch) =>
        branch.Sum(op => op.RequestPut is { } put ? Cost(put) : 0);
}
