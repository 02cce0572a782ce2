using Google.Protobuf;

namespace ActorStore.Server.Lease;

/// <summary>A lease in the state machine: its id, the TTL it was granted (after the minimum) and its keys, in key order.</summary>
public sealed class GrantedLease(long id, long ttl)
{
    public long Id { get; } = id;

    public long Ttl { get; } = ttl;

    public SortedSet<ByteString> Keys { get; } = new(ByteStringOrder.Instance);
}
