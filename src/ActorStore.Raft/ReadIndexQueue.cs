using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft;

/// <summary>
/// Read-index requests the leader is confirming with a heartbeat round, in arrival order, keyed by request context.
/// A request is answered once a quorum acknowledged a heartbeat carrying its context (or a later one's).
/// </summary>
internal sealed class ReadIndexQueue
{
    private readonly Dictionary<ByteString, PendingRead> _pending = [];
    private readonly List<ByteString> _order = [];

    public ByteString? LastContext => _order.Count == 0 ? null : _order[^1];

    public void Add(ulong commitIndex, Message request)
    {
        var context = request.Entries[0].Data;
        if (_pending.ContainsKey(context))
        {
            return;
        }

        _pending[context] = new PendingRead(commitIndex, request);
        _order.Add(context);
    }

    /// <summary>Records that <paramref name="from"/> answered the heartbeat for <paramref name="context"/>; null when unknown.</summary>
    public IReadOnlySet<ulong>? Acknowledge(ulong from, ByteString context)
    {
        if (!_pending.TryGetValue(context, out var read))
        {
            return null;
        }

        read.Acks.Add(from);
        return read.Acks;
    }

    /// <summary>Removes and returns every request up to and including the one for <paramref name="context"/>.</summary>
    public List<(ulong Index, Message Request)> Release(ByteString context)
    {
        var released = new List<(ulong, Message)>();
        int found = _order.IndexOf(context);
        if (found < 0)
        {
            return released;
        }

        for (int i = 0; i <= found; i++)
        {
            var read = _pending[_order[i]];
            _pending.Remove(_order[i]);
            released.Add((read.Index, read.Request));
        }

        _order.RemoveRange(0, found + 1);
        return released;
    }

    public void Clear()
    {
        _pending.Clear();
        _order.Clear();
    }

    private sealed class PendingRead(ulong index, Message request)
    {
        public ulong Index { get; } = index;

        public Message Request { get; } = request;

        public HashSet<ulong> Acks { get; } = [];
    }
}
