using Raftpb;

namespace ActorStore.Simulation;

/// <summary>
/// A lossy, duplicating, reordering network on virtual time. Partitions are checked when a message would be
/// delivered, so messages sent before a partition are cut off by it and messages sent during one are lost.
/// </summary>
internal sealed class VirtualNetwork(Random random, SimulationOptions options)
{
    private readonly List<(Message Message, long DeliverAt)> _packets = [];
    private Dictionary<ulong, int>? _partition;

    public bool Reliable { get; set; }

    public int Count => _packets.Count;

    public long Sent { get; private set; }

    public long Delivered { get; private set; }

    public long Dropped { get; private set; }

    public long Duplicated { get; private set; }

    /// <summary>Queues a message; false when the network lost it right away.</summary>
    public bool Send(Message message, long now)
    {
        Sent++;
        if (!Reliable && random.NextDouble() < options.DropProbability)
        {
            Dropped++;
            return false;
        }

        Enqueue(message, now);
        if (!Reliable && random.NextDouble() < options.DuplicateProbability)
        {
            Duplicated++;
            Enqueue(message, now);
        }

        return true;
    }

    /// <summary>
    /// Removes a random message that is due, or returns null when none is. <paramref name="reachable"/> is false when
    /// a partition swallows it.
    /// </summary>
    public Message? TakeDue(long now, out bool reachable)
    {
        reachable = false;
        int due = 0;
        foreach (var packet in _packets)
        {
            if (packet.DeliverAt <= now)
            {
                due++;
            }
        }

        if (due == 0)
        {
            return null;
        }

        int pick = random.Next(due);
        for (int i = 0; i < _packets.Count; i++)
        {
            if (_packets[i].DeliverAt > now || pick-- != 0)
            {
                continue;
            }

            var message = _packets[i].Message;
            _packets.RemoveAt(i);
            reachable = CanReach(message.From, message.To);
            if (reachable)
            {
                Delivered++;
            }
            else
            {
                Dropped++;
            }

            return message;
        }

        return null;
    }

    public bool HasDue(long now) => _packets.Exists(p => p.DeliverAt <= now);

    /// <summary>Splits the members into two random non-empty sides.</summary>
    public void Partition(IReadOnlyList<ulong> ids)
    {
        var sides = new Dictionary<ulong, int>();
        int minority = 1 + random.Next(ids.Count / 2);
        var shuffled = ids.OrderBy(_ => random.Next()).ToList();
        for (int i = 0; i < shuffled.Count; i++)
        {
            sides[shuffled[i]] = i < minority ? 1 : 0;
        }

        _partition = sides;
    }

    public void Heal() => _partition = null;

    public bool IsPartitioned => _partition is not null;

    public bool CanReach(ulong from, ulong to) =>
        _partition is null || _partition[from] == _partition[to];

    private void Enqueue(Message message, long now)
    {
        long delay = Reliable ? random.Next(2) : random.Next(options.MaxDelayTicks + 1);
        _packets.Add((message, now + delay));
    }
}
