using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Tests;

/// <summary>
/// A tiny in-memory shell and network for driving several <see cref="RaftNode"/>s in unit tests.
/// Messages queue in FIFO order and are delivered only when the test asks (or stabilizes); filters drop traffic.
/// </summary>
internal sealed class Cluster
{
    private readonly Dictionary<ulong, Member> _members = [];
    private readonly Func<RaftConfig, RaftConfig> _configure;
    private readonly List<Func<Message, bool>> _dropRules = [];

    public Cluster(IEnumerable<ulong> voters, IEnumerable<ulong>? learners = null, Func<RaftConfig, RaftConfig>? configure = null)
    {
        _configure = configure ?? (c => c);
        var membership = new ConfState();
        membership.Voters.AddRange(voters);
        membership.Learners.AddRange(learners ?? []);
        foreach (ulong id in membership.Voters.Concat(membership.Learners))
        {
            Add(id, MemoryRaftLogStorage.CreateBootstrapped(membership));
        }
    }

    public static Cluster Of(params ulong[] voters) => new(voters);

    /// <summary>Every message handed to the network, delivered or not, for assertions.</summary>
    public List<Message> Sent { get; } = [];

    public List<Message> InFlight { get; } = [];

    public Member this[ulong id] => _members[id];

    public IEnumerable<Member> Members => _members.Values;

    public RaftConfig ConfigFor(ulong id) => _configure(new RaftConfig
    {
        Id = id,
        ElectionTick = 10,
        HeartbeatTick = 1,
        Random = new SeededRaftRandom((int)id * 7919),
    });

    /// <summary>Starts a member with the given storage (a joining member passes an empty one).</summary>
    public Member Add(ulong id, MemoryRaftLogStorage storage)
    {
        var member = new Member(id, storage, new RaftNode(ConfigFor(id), storage));
        _members[id] = member;
        return member;
    }

    /// <summary>Restarts a member from its storage, losing all volatile state.</summary>
    public Member Restart(ulong id)
    {
        var old = _members[id];
        InFlight.RemoveAll(m => m.To == id);
        var config = ConfigFor(id) with { Applied = old.Storage.Snapshot().Metadata.Index };
        var member = new Member(id, old.Storage, new RaftNode(config, old.Storage));
        _members[id] = member;
        return member;
    }

    public void Drop(Func<Message, bool> rule) => _dropRules.Add(rule);

    public void Isolate(ulong id) => Drop(m => m.From == id || m.To == id);

    public void Cut(ulong a, ulong b) => Drop(m => (m.From == a && m.To == b) || (m.From == b && m.To == a));

    public void Heal() => _dropRules.Clear();

    /// <summary>Runs the Ready loop of a member once: persist, queue messages, apply, advance.</summary>
    public void Process(ulong id)
    {
        var member = _members[id];
        while (member.Node.HasReady())
        {
            var ready = member.Node.GetReady();
            member.Persist(ready);
            foreach (var message in ready.Messages)
            {
                Sent.Add(message);
                InFlight.Add(message);
            }

            member.Apply(ready);
            member.Node.Advance(ready);
        }
    }

    public void ProcessAll()
    {
        foreach (ulong id in _members.Keys.Order().ToArray())
        {
            Process(id);
        }
    }

    /// <summary>Delivers every queued message (and whatever they trigger) until the network is quiet.</summary>
    public void Stabilize(int maxRounds = 10_000)
    {
        ProcessAll();
        for (int round = 0; round < maxRounds; round++)
        {
            if (InFlight.Count == 0)
            {
                ProcessAll();
                if (InFlight.Count == 0)
                {
                    return;
                }
            }

            var message = InFlight[0];
            InFlight.RemoveAt(0);
            Deliver(message);
        }

        throw new InvalidOperationException("cluster did not stabilize");
    }

    public void Deliver(Message message)
    {
        if (_dropRules.Any(rule => rule(message)) || !_members.TryGetValue(message.To, out var member))
        {
            return;
        }

        member.Node.Step(message);
        Process(message.To);
    }

    /// <summary>Delivers only the queued messages matching <paramref name="filter"/>, leaving the rest queued.</summary>
    public void DeliverWhere(Func<Message, bool> filter)
    {
        var selected = InFlight.Where(filter).ToList();
        InFlight.RemoveAll(m => filter(m));
        foreach (var message in selected)
        {
            Deliver(message);
        }
    }

    public List<Message> TakeInFlight()
    {
        var taken = InFlight.ToList();
        InFlight.Clear();
        return taken;
    }

    public void Tick(ulong id, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            _members[id].Node.Tick();
        }

        Process(id);
    }

    public void TickAll(int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            foreach (var member in _members.Values)
            {
                member.Node.Tick();
            }

            ProcessAll();
        }
    }

    /// <summary>Makes <paramref name="id"/> campaign and lets the election run to completion.</summary>
    public void Elect(ulong id)
    {
        _members[id].Node.Campaign();
        Stabilize();
    }

    public void Propose(ulong id, string value)
    {
        _members[id].Node.Propose(ByteString.CopyFromUtf8(value));
        Stabilize();
    }

    public ulong? Leader()
    {
        var leaders = _members.Values.Where(m => m.Node.BasicStatus.Role == RaftRole.Leader).ToList();
        return leaders.Count == 0 ? null : leaders.MaxBy(m => m.Node.BasicStatus.Term)!.Id;
    }

    internal sealed class Member(ulong id, MemoryRaftLogStorage storage, RaftNode node)
    {
        public ulong Id { get; } = id;

        public MemoryRaftLogStorage Storage { get; } = storage;

        public RaftNode Node { get; } = node;

        public RaftBasicStatus Status => Node.BasicStatus;

        /// <summary>Data of the applied normal entries, in order.</summary>
        public List<string> Applied { get; } = [];

        public ulong AppliedIndex { get; private set; }

        public List<ReadState> ReadStates { get; } = [];

        public ConfState? Membership { get; private set; }

        public Snapshot? RestoredSnapshot { get; private set; }

        public void Persist(Ready ready)
        {
            if (ready.Snapshot is not null)
            {
                Storage.ApplySnapshot(ready.Snapshot);
            }

            Storage.Append(ready.Entries);
            if (ready.HardState is not null)
            {
                Storage.SetHardState(ready.HardState);
            }
        }

        public void Apply(Ready ready)
        {
            if (ready.Snapshot is not null)
            {
                RestoredSnapshot = ready.Snapshot;
                AppliedIndex = ready.Snapshot.Metadata.Index;
                Membership = ready.Snapshot.Metadata.ConfState;
            }

            foreach (var entry in ready.CommittedEntries)
            {
                if (entry.Type == EntryType.EntryConfChange)
                {
                    Membership = Node.ApplyConfChange(ConfChange.Parser.ParseFrom(entry.Data));
                }
                else if (!entry.Data.IsEmpty)
                {
                    Applied.Add(entry.Data.ToStringUtf8());
                }

                AppliedIndex = entry.Index;
            }

            ReadStates.AddRange(ready.ReadStates);
        }

        /// <summary>Terms of the whole persisted log after the compaction point.</summary>
        public List<(ulong Index, ulong Term)> LogShape()
        {
            ulong first = Storage.FirstIndex();
            ulong last = Storage.LastIndex();
            if (last < first)
            {
                return [];
            }

            return Storage.Entries(first, last + 1, ulong.MaxValue).Select(e => (e.Index, e.Term)).ToList();
        }
    }
}
