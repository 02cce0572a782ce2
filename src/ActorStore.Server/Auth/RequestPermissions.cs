using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Auth;

/// <summary>
/// Which keys a KV request reads and writes, checked against the caller's permissions with etcd 3.4's rules: one place
/// for reads served by the apply actor and for writes checked when their entry applies.
/// </summary>
public static class RequestPermissions
{
    public static void CheckRange(AuthStore auth, AuthInfo caller, RangeRequest range) =>
        auth.CheckPermitted(caller, range.Key.Span, range.RangeEnd.Span, write: false);

    /// <summary>A put writes its key; with prev_kv it reads it; with a lease, every key already on that lease must be writable.</summary>
    public static void CheckPut(AuthStore auth, AuthInfo caller, PutRequest put, Func<long, IEnumerable<ByteString>> keysOfLease)
    {
        auth.CheckPermitted(caller, put.Key.Span, [], write: true);
        CheckLeaseKeys(auth, caller, put.Lease, keysOfLease);
        if (put.PrevKv)
        {
            auth.CheckPermitted(caller, put.Key.Span, [], write: false);
        }
    }

    public static void CheckDeleteRange(AuthStore auth, AuthInfo caller, DeleteRangeRequest delete)
    {
        auth.CheckPermitted(caller, delete.Key.Span, delete.RangeEnd.Span, write: true);
        if (delete.PrevKv)
        {
            auth.CheckPermitted(caller, delete.Key.Span, delete.RangeEnd.Span, write: false);
        }
    }

    /// <summary>
    /// Every compare reads its key; then each operation of both branches. Nested txns are checked the same way: etcd
    /// 3.4 skips them (a hole later releases closed), ActorStore does not.
    /// </summary>
    public static void CheckTxn(AuthStore auth, AuthInfo caller, TxnRequest txn)
    {
        foreach (var compare in txn.Compare)
        {
            auth.CheckPermitted(caller, compare.Key.Span, compare.RangeEnd.Span, write: false);
        }
        CheckOps(auth, caller, txn.Success);
        CheckOps(auth, caller, txn.Failure);
    }

    /// <summary>Revoking a lease deletes its keys: the caller must be able to write each of them.</summary>
    public static void CheckLeaseKeys(AuthStore auth, AuthInfo caller, long lease, Func<long, IEnumerable<ByteString>> keysOfLease)
    {
        if (lease == 0 || !auth.Enabled)
        {
            return;
        }
        foreach (var key in keysOfLease(lease))
        {
            auth.CheckPermitted(caller, key.Span, [], write: true);
        }
    }

    private static void CheckOps(AuthStore auth, AuthInfo caller, IEnumerable<RequestOp> ops)
    {
        foreach (var op in ops)
        {
            switch (op.RequestCase)
            {
                case RequestOp.RequestOneofCase.RequestRange:
                    CheckRange(auth, caller, op.RequestRange);
                    break;
                case RequestOp.RequestOneofCase.RequestPut:
                    auth.CheckPermitted(caller, op.RequestPut.Key.Span, [], write: true);
                    break;
                case RequestOp.RequestOneofCase.RequestDeleteRange:
                    if (op.RequestDeleteRange.PrevKv)
                    {
                        auth.CheckPermitted(caller, op.RequestDeleteRange.Key.Span, op.RequestDeleteRange.RangeEnd.Span, write: false);
                    }
                    auth.CheckPermitted(caller, op.RequestDeleteRange.Key.Span, op.RequestDeleteRange.RangeEnd.Span, write: true);
                    break;
                case RequestOp.RequestOneofCase.RequestTxn:
                    CheckTxn(auth, caller, op.RequestTxn);
                    break;
            }
        }
    }
}
