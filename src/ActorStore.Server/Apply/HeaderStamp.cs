using Etcdserverpb;

namespace ActorStore.Server.Apply;

/// <summary>The member-wide fields of every response header; the revision comes from the keyspace.</summary>
public sealed record HeaderStamp(ulong ClusterId, ulong MemberId, ulong RaftTerm)
{
    public void Stamp(ResponseHeader header)
    {
        header.ClusterId = ClusterId;
        header.MemberId = MemberId;
        header.RaftTerm = RaftTerm;
    }
}
