using System.Buffers.Binary;
using Google.Protobuf;

namespace ActorStore.Raft.Shell;

/// <summary>
/// A proposal's deadline as it travels in the context of a forwarded MsgProp: UTC ticks, 8 bytes big-endian. Members
/// compare it with their own clock, so it assumes clocks in step to well within a request timeout, as etcd's own
/// clock-drift warnings do. A context of any other length is no deadline (nothing to refuse).
/// </summary>
public static class ProposalDeadline
{
    private const int Length = sizeof(long);

    public static ByteString Encode(DateTimeOffset deadline)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, deadline.UtcTicks);
        return ByteString.CopyFrom(bytes);
    }

    public static bool TryDecode(ByteString context, out DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Length != Length)
        {
            deadline = default;
            return false;
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(context.Span);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            deadline = default;
            return false;
        }
        deadline = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    /// <summary>True when <paramref name="context"/> holds a deadline that <paramref name="now"/> has reached; <paramref name="late"/> says by how much.</summary>
    public static bool HasPassed(ByteString context, DateTimeOffset now, out TimeSpan late)
    {
        late = TryDecode(context, out var deadline) && now >= deadline ? now - deadline : TimeSpan.MinValue;
        return late != TimeSpan.MinValue;
    }
}
