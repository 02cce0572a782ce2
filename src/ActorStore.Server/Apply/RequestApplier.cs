using ActorStore.Protocol;
using ActorStore.Server.Auth;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// Applies one logged request to the keyspace or the auth store. Used by the apply actor and by recovery, which
/// replays the journal through the same code so a restart reaches the same revisions. With auth enabled, a write is
/// checked here against the user and auth revision its entry carries, so a revoked permission counts at once.
/// </summary>
public sealed class RequestApplier
{
    private readonly KvApplier _kv;
    private readonly LeaseApplier _leases;
    private readonly AuthApplier _auth;

    public RequestApplier(KvApplier kv, LeaseApplier leases, AuthApplier auth, HeaderStamp stamp)
    {
        _kv = kv;
        _leases = leases;
        _auth = auth;
        Stamp = stamp;
    }

    /// <summary>The member-wide header fields; the term changes with elections.</summary>
    public HeaderStamp Stamp { get; set; }

    public AuthStore Auth => _auth.Store;

    /// <summary>Answers the request; etcd's request errors surface as <see cref="Protocol.Errors.RpcException"/>.</summary>
    public IMessage Apply(InternalRaftRequest request, ulong index = 0)
    {
        if (AuthApplier.Handles(request))
        {
            return StampHeader(_auth.Apply(request, index));
        }
        CheckPermitted(request);
        IMessage response =
            request.Put is { } put ? _kv.Put(put)
            : request.DeleteRange is { } delete ? _kv.DeleteRange(delete)
            : request.Txn is { } txn ? _kv.Txn(txn)
            : request.Compaction is { } compaction ? _kv.Compact(compaction)
            : request.Range is { } range ? _kv.Range(range)
            : request.LeaseGrant is { } grant ? _leases.Grant(grant)
            : request.LeaseRevoke is { } revoke ? _leases.Revoke(revoke)
            : throw new InvalidOperationException("log entry carries no request this member can apply");
        return StampHeader(response);
    }

    /// <summary>etcd 3.4's apply-time checks: KV requests by their keys, a lease revocation by the keys it deletes.</summary>
    private void CheckPermitted(InternalRaftRequest request)
    {
        var auth = _auth.Store;
        if (!auth.Enabled)
        {
            return;
        }
        var caller = AuthApplier.CallerOf(request.Header);
        if (request.Put is { } put)
        {
            RequestPermissions.CheckPut(auth, caller, put, KeysOfLease);
        }
        else if (request.DeleteRange is { } delete)
        {
            RequestPermissions.CheckDeleteRange(auth, caller, delete);
        }
        else if (request.Txn is { } txn)
        {
            RequestPermissions.CheckTxn(auth, caller, txn);
        }
        else if (request.Range is { } range)
        {
            RequestPermissions.CheckRange(auth, caller, range);
        }
        else if (request.LeaseRevoke is { } revoke)
        {
            RequestPermissions.CheckLeaseKeys(auth, caller, revoke.ID, KeysOfLease);
        }
    }

    private IEnumerable<ByteString> KeysOfLease(long id) => _leases.Leases.Find(id)?.Keys ?? Enumerable.Empty<ByteString>();

    /// <summary>Adds the member-wide header fields to a response the keyspace answered.</summary>
    public IMessage StampHeader(IMessage response)
    {
        if (response is IResponseWithHeader withHeader)
        {
            withHeader.Header ??= new ResponseHeader();
            Stamp.Stamp(withHeader.Header);
        }
        return response;
    }
}
