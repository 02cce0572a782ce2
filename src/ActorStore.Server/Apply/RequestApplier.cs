using ActorStore.Protocol;
using ActorStore.Server.Kv;
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
    private readonly HeaderStamp _stamp;

    public RequestApplier(KvApplier kv, HeaderStamp stamp)
    {
        _kv = kv;
        _stamp = stamp;
    }

    public KvApplier Kv => _kv;

    /// <summary>Answers the request; etcd's request errors surface as <see cref="Protocol.Errors.RpcException"/>.</summary>
    public IMessage Apply(InternalRaftRequest request)
    {
        IMessage response =
            request.Put is { } put ? _kv.Put(put)
            : request.DeleteRange is { } delete ? _kv.DeleteRange(delete)
            : request.Txn is { } txn ? _kv.Txn(txn)
            : request.Compaction is { } compaction ? _kv.Compact(compaction)
            : request.Range is { } range ? _kv.Range(range)
            : throw new InvalidOperationException("log entry carries no request this member can apply");
        return Stamp(response);
    }

    /// <summary>Adds the member-wide header fields to a response the keyspace answered.</summary>
    public IMessage Stamp(IMessage response)
    {
        if (response is IResponseWithHeader withHeader)
        {
            withHeader.Header ??= new ResponseHeader();
            _stamp.Stamp(withHeader.Header);
        }
        return response;
    }
}
