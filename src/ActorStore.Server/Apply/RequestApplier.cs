using ActorStore.Protocol;
using ActorStore.Server.Kv;
using ActorStore.Server.Lease;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Apply;

/// <summary>
/// Applies one logged request to the keyspace. Used by the apply actor and by recovery, which replays the
/// journal through the same code so a restart reaches the same revisions.
/// </summary>
public sealed class RequestApplier
{
    private readonly KvApplier _kv;
    private readonly LeaseApplier _leases;

    public RequestApplier(KvApplier kv, LeaseApplier leases, HeaderStamp stamp)
    {
        _kv = kv;
        _leases = leases;
        Stamp = stamp;
    }

    /// <summary>The member-wide header fields; the term changes with elections.</summary>
    public HeaderStamp Stamp { get; set; }

    /// <summary>Answers the request; etcd's request errors surface as <see cref="Protocol.Errors.RpcException"/>.</summary>
    public IMessage Apply(InternalRaftRequest request)
    {
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
