namespace ActorStore.Server.Membership;

/// <summary>
/// Unique ids for proposals, shaped like etcd's: the low 16 bits of the member id on top, then a time
/// prefix and a counter, so ids stay unique across restarts of the same member.
/// </summary>
public sealed class RequestIdGenerator
{
    private const int TimeBits = 40;
    private const int CounterBits = 8;
    private long _next;

    public RequestIdGenerator(ulong memberId, DateTimeOffset now)
    {
        var prefix = (memberId & 0xFFFF) << (TimeBits + CounterBits);
        var time = ((ulong)now.ToUnixTimeMilliseconds() & ((1UL << TimeBits) - 1)) << CounterBits;
        _next = (long)(prefix | time);
    }

    public ulong Next() => (ulong)Interlocked.Increment(ref _next);
}
