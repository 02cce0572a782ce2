using ActorStore.Raft;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Simulation;

/// <summary>
/// One randomized, fully deterministic schedule: a seed fixes every choice (which message is delivered when,
/// which is lost or duplicated, who crashes, where the network splits). Invariants are checked after every step;
/// at the end the faults stop and the group must elect a leader and commit a proposal.
/// </summary>
internal sealed class ClusterSimulation
{
    private readonly int _seed;
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly VirtualNetwork _network;
    private readonly SortedDictionary<ulong, SimNode> _nodes = [];
    private readonly ulong[] _ids;
    private readonly SafetyChecker _checker = new();
    private readonly List<string>? _trace;
    private long _now;
    private int _counter;

    public ClusterSimulation(int seed, SimulationOptions options, bool trace = false)
    {
        _seed = seed;
        _options = options;
        _random = new Random(seed);
        _network = new VirtualNetwork(_random, options);
        _trace = trace ? [] : null;
        _ids = Enumerable.Range(1, options.Nodes).Select(i => (ulong)i).ToArray();
        var membership = new ConfState();
        membership.Voters.AddRange(_ids);
        foreach (ulong id in _ids)
        {
            _nodes[id] = new SimNode(id, MemoryRaftLogStorage.CreateBootstrapped(membership), ConfigFor);
        }
    }

    public SimulationStats Stats { get; } = new();

    public IReadOnlyList<string> Trace => _trace ?? [];

    /// <summary>Runs the schedule; throws <see cref="SimulationFailure"/> naming the seed and step on any violation.</summary>
    public SimulationStats Run()
    {
        int step = 0;
        try
        {
            for (; step < _options.Steps; step++)
            {
                RandomStep();
                _checker.CheckStep(_nodes.Values);
            }

            CheckLiveness(ref step);
        }
        catch (Exception e)
        {
            string detail = e is SimulationFailure ? e.Message : e.ToString();
            throw new SimulationFailure($"seed {_seed} ({_options}), step {step}: {detail}");
        }

        Stats.Steps = step;
        Stats.Leaders = _checker.LeadersSeen;
        Stats.Committed = (long)_checker.MaxCommitted;
        Stats.ReadsConfirmed = _checker.ReadsConfirmed;
        Stats.MessagesDelivered = _network.Delivered;
        Stats.MessagesDropped = _network.Dropped;
        Stats.MessagesDuplicated = _network.Duplicated;
        return Stats;
    }

    private RaftConfig ConfigFor(ulong id, int incarnation) => new()
    {
        Id = id,
        ElectionTick = _options.ElectionTick,
        HeartbeatTick = _options.HeartbeatTick,
        PreVote = _options.PreVote,
        CheckQuorum = _options.CheckQuorum,
        MaxInflightMsgs = _options.MaxInflightMsgs,
        MaxSizePerMsg = _options.MaxSizePerMsg,
        // HashCode is randomized per process, so mix the seed by hand to stay reproducible.
        Random = new SeededRaftRandom(unchecked((_seed * 1_000_003) + ((int)id * 7_919) + (incarnation * 31))),
    };

    private void RandomStep()
    {
        double roll = _random.NextDouble();
        if (roll < _options.CrashProbability)
        {
            Crash();
            return;
        }

        roll -= _options.CrashProbability;
        if (roll < _options.CrashProbability * 4)
        {
            Restart();
            return;
        }

        roll -= _options.CrashProbability * 4;
        if (roll < _options.PartitionProbability)
        {
            if (!_network.IsPartitioned)
            {
                _network.Partition(_ids);
                Stats.Partitions++;
                Log("partition");
            }

            return;
        }

        roll -= _options.PartitionProbability;
        if (roll < _options.PartitionProbability * 3)
        {
            if (_network.IsPartitioned)
            {
                _network.Heal();
                Log("heal");
            }

            return;
        }

        roll = _random.NextDouble();
        if (roll < _options.TickProbability)
        {
            Tick();
            return;
        }

        switch (_random.NextDouble())
        {
            case < 0.50:
                DeliverOne();
                break;
            case < 0.76:
                ProcessReady(RandomUpNode(), allowSplit: true);
                break;
            case < 0.88:
                Propose();
                break;
            case < 0.92:
                ReadIndex();
                break;
            case < 0.96:
                Compact();
                break;
            case < 0.964:
                TransferLeadership();
                break;
            default:
                DeliverOne();
                break;
        }
    }

    private SimNode? RandomUpNode()
    {
        var up = _nodes.Values.Where(n => n.IsUp).ToList();
        return up.Count == 0 ? null : up[_random.Next(up.Count)];
    }

    private void Tick()
    {
        _now++;
        foreach (var node in _nodes.Values)
        {
            node.Instance?.Tick();
        }
    }

    private void DeliverOne()
    {
        var message = _network.TakeDue(_now, out bool reachable);
        if (message is null)
        {
            Tick();
            return;
        }

        var target = _nodes[message.To];
        if (!reachable || !target.IsUp)
        {
            ReportSnapshotOutcome(message, delivered: false);
            return;
        }

        Log($"deliver {message.Type} {message.From}->{message.To} term {message.Term} index {message.Index} entries {message.Entries.Count} commit {message.Commit} reject {message.Reject}");
        target.Node.Step(message);
        ReportSnapshotOutcome(message, delivered: true);
    }

    /// <summary>Like a real transport, tell the leader whether its snapshot got through, so that it resumes replication.</summary>
    private void ReportSnapshotOutcome(Message message, bool delivered)
    {
        if (message.Type == MessageType.MsgSnap && _nodes[message.From].Instance is { } sender)
        {
            sender.ReportSnapshot(message.To, failed: !delivered);
        }
    }

    private void Send(Message message)
    {
        if (!_network.Send(message, _now))
        {
            ReportSnapshotOutcome(message, delivered: false);
        }
    }

    /// <summary>
    /// Runs the shell's Ready loop once. With <paramref name="allowSplit"/>, it may stop after sending the messages
    /// that need not wait for the disk, leaving the write for a later step (a crash in between loses it).
    /// </summary>
    private void ProcessReady(SimNode? node, bool allowSplit)
    {
        if (node is null)
        {
            return;
        }

        if (node.InFlightReady is { } pending)
        {
            FinishReady(node, pending);
            return;
        }

        if (!node.Node.HasReady())
        {
            return;
        }

        var ready = node.Node.GetReady();
        foreach (var message in ready.Messages)
        {
            if (Ready.MaySendBeforePersisting(message))
            {
                Send(message);
            }
        }

        if (allowSplit && _random.NextDouble() < _options.CrashBeforePersistProbability)
        {
            // The worst moment to fail: messages are out, the write is lost.
            node.Crash();
            Stats.Crashes++;
            Log($"crash {node.Id} before persisting");
            if (_random.Next(2) == 0)
            {
                // A quick bounce: the member is back while its peers still act on what it sent.
                node.Start();
                Log($"restart {node.Id} term {node.Node.BasicStatus.Term} commit {node.Node.BasicStatus.Commit}");
            }

            return;
        }

        if (allowSplit && _random.Next(2) == 0)
        {
            node.InFlightReady = ready;
            return;
        }

        FinishReady(node, ready);
    }

    private void FinishReady(SimNode node, Ready ready)
    {
        node.InFlightReady = null;
        var disk = node.Disk;
        if (ready.Snapshot is not null)
        {
            disk.ApplySnapshot(ready.Snapshot);
        }

        disk.Append(ready.Entries);
        if (ready.HardState is not null)
        {
            disk.SetHardState(ready.HardState);
        }

        foreach (var message in ready.Messages)
        {
            if (!Ready.MaySendBeforePersisting(message))
            {
                Send(message);
            }
        }

        if (ready.Snapshot is not null)
        {
            _checker.OnSnapshotInstalled(node, ready.Snapshot);
            node.StateMachine.Clear();
            node.StateMachine.AddRange(SimNode.DecodeState(ready.Snapshot.Data));
            node.AppliedIndex = ready.Snapshot.Metadata.Index;
            Stats.SnapshotsInstalled++;
            Log($"node {node.Id} installed snapshot {ready.Snapshot.Metadata.Index}");
        }

        foreach (var entry in ready.CommittedEntries)
        {
            _checker.OnApply(node, entry);
            if (entry.Type == EntryType.EntryNormal && !entry.Data.IsEmpty)
            {
                node.StateMachine.Add(entry.Data.ToStringUtf8());
            }

            node.AppliedIndex = entry.Index;
        }

        foreach (var state in ready.ReadStates)
        {
            _checker.OnReadState(node, state);
        }

        if (ready.SoftState is { } soft)
        {
            Log($"node {node.Id} is {soft.Role} (lead {soft.Lead}) term {node.Node.BasicStatus.Term}");
        }

        node.Node.Advance(ready);
    }

    private void Propose()
    {
        var node = RandomUpNode();
        if (node is null)
        {
            return;
        }

        try
        {
            if (_random.Next(4) == 0)
            {
                node.Node.Propose([NextValue(), NextValue()]);
            }
            else
            {
                node.Node.Propose(NextValue());
            }

            Stats.Proposals++;
        }
        catch (ProposalDroppedException)
        {
            Stats.ProposalsDropped++;
        }
    }

    private ByteString NextValue() => ByteString.CopyFromUtf8($"v{_seed}-{++_counter}");

    private void ReadIndex()
    {
        var node = RandomUpNode();
        if (node is null)
        {
            return;
        }

        string context = $"read-{++_counter}";
        _checker.OnReadRequested(context);
        node.Node.ReadIndex(ByteString.CopyFromUtf8(context));
    }

    /// <summary>Snapshots the state machine at the applied index and discards a random part of the log before it.</summary>
    private void Compact()
    {
        var node = RandomUpNode();
        if (node is null)
        {
            return;
        }

        var disk = node.Disk;
        ulong snapshotIndex = disk.Snapshot().Metadata.Index;
        if (node.AppliedIndex <= snapshotIndex || node.AppliedIndex > disk.LastIndex())
        {
            return;
        }

        disk.CreateSnapshot(node.AppliedIndex, node.Membership(), SimNode.EncodeState(node.StateMachine));
        ulong first = disk.FirstIndex();
        if (node.AppliedIndex >= first)
        {
            ulong compactTo = first + (ulong)_random.NextInt64((long)(node.AppliedIndex - first + 1));
            disk.Compact(compactTo);
        }

        Stats.SnapshotsTaken++;
        Log($"node {node.Id} snapshot at {node.AppliedIndex}, first index now {disk.FirstIndex()}");
    }

    private void TransferLeadership()
    {
        var leader = _nodes.Values.FirstOrDefault(n => n.IsUp && n.Node.BasicStatus.Role == RaftRole.Leader);
        if (leader is null)
        {
            return;
        }

        ulong target = _ids[_random.Next(_ids.Length)];
        Log($"transfer {leader.Id} -> {target}");
        leader.Node.TransferLeader(target);
        Stats.Transfers++;
    }

    private void Crash()
    {
        // Half the time hit a member in the middle of a write, where durability bugs live.
        var writing = _nodes.Values.Where(n => n.InFlightReady is not null).ToList();
        var node = writing.Count > 0 && _random.Next(2) == 0 ? writing[_random.Next(writing.Count)] : RandomUpNode();
        if (node is null)
        {
            return;
        }

        node.Crash();
        Stats.Crashes++;
        Log($"crash {node.Id}");
    }

    private void Restart()
    {
        var down = _nodes.Values.Where(n => !n.IsUp).ToList();
        if (down.Count == 0)
        {
            return;
        }

        var node = down[_random.Next(down.Count)];
        node.Start();
        Log($"restart {node.Id} term {node.Node.BasicStatus.Term} commit {node.Node.BasicStatus.Commit}");
    }

    /// <summary>Faults stop: every member runs, the network is whole and reliable. A leader must emerge and commit.</summary>
    private void CheckLiveness(ref int step)
    {
        _network.Heal();
        _network.Reliable = true;
        foreach (var node in _nodes.Values.Where(n => !n.IsUp))
        {
            node.Start();
        }

        _checker.CheckStep(_nodes.Values);
        string probe = $"probe-{_seed}";
        int lastProposal = int.MinValue / 2;
        for (int tick = 0; tick < _options.LivenessTicks; tick++)
        {
            for (int round = 0; round < 50; round++)
            {
                bool busy = false;
                foreach (var node in _nodes.Values)
                {
                    while (node.InFlightReady is not null || node.Node.HasReady())
                    {
                        ProcessReady(node, allowSplit: false);
                        step++;
                        _checker.CheckStep(_nodes.Values);
                        busy = true;
                    }
                }

                while (_network.HasDue(_now))
                {
                    DeliverOne();
                    step++;
                    _checker.CheckStep(_nodes.Values);
                    busy = true;
                }

                if (!busy)
                {
                    break;
                }
            }

            if (_nodes.Values.All(n => n.StateMachine.Contains(probe)))
            {
                Stats.LivenessTicks = tick;
                return;
            }

            var leader = _nodes.Values.FirstOrDefault(n => n.Node.BasicStatus.Role == RaftRole.Leader);
            if (leader is not null && tick - lastProposal >= 20)
            {
                lastProposal = tick;
                try
                {
                    leader.Node.Propose(ByteString.CopyFromUtf8(probe));
                }
                catch (ProposalDroppedException)
                {
                }
            }

            Tick();
            step++;
            _checker.CheckStep(_nodes.Values);
        }

        var states = string.Join(", ", _nodes.Values.Select(n => $"{n.Id}:{n.Node.BasicStatus}"));
        throw new SimulationFailure($"liveness: no committed proposal within {_options.LivenessTicks} fault-free ticks; {states}");
    }

    private void Log(string line) => _trace?.Add($"t={_now} {line}");
}
