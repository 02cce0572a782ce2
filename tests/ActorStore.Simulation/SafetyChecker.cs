using ActorStore.Raft;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Simulation;

/// <summary>
/// Raft's safety properties, checked incrementally so that they can run after every simulation step:
/// election safety, log matching, leader completeness, state machine safety, committed entries never change,
/// and linearizable read indexes.
/// </summary>
internal sealed class SafetyChecker
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];
    private readonly HashSet<(ulong Term, ulong Id)> _leadersChecked = [];

    // Every (index, term) names exactly one entry, with one predecessor term: the inductive form of log matching.
    private readonly Dictionary<(ulong Index, ulong Term), (EntryType Type, ByteString Data, ulong PrevTerm)> _entries = [];
    private readonly Dictionary<ulong, (ulong Term, ByteString? Data)> _committed = [];
    private readonly Dictionary<ulong, (ulong Term, ByteString Data)> _applied = [];
    private readonly Dictionary<string, ulong> _readFloors = [];

    public ulong MaxCommitted { get; private set; }

    public int LeadersSeen => _leadersChecked.Count;

    public long ReadsConfirmed { get; private set; }

    /// <summary>Checks what every running node's state looks like now.</summary>
    public void CheckStep(IEnumerable<SimNode> nodes)
    {
        var running = nodes.Where(n => n.IsUp).ToList();
        foreach (var node in running)
        {
            var raft = node.Node;
            var status = raft.BasicStatus;
            var log = raft.Log;

            foreach (var entry in log.Unstable.ToArray())
            {
                CheckEntryIdentity(node.Id, log, entry);
            }

            if (status.Commit < node.CheckedCommit)
            {
                throw new SimulationFailure($"node {node.Id}: commit index went back from {node.CheckedCommit} to {status.Commit}");
            }

            for (ulong index = node.CheckedCommit + 1; index <= status.Commit; index++)
            {
                RecordCommitted(node.Id, log, index, running);
            }

            node.CheckedCommit = status.Commit;
        }

        foreach (var node in running)
        {
            var status = node.Node.BasicStatus;
            if (status.Role != RaftRole.Leader)
            {
                continue;
            }

            if (_leaderOfTerm.TryGetValue(status.Term, out ulong other) && other != node.Id)
            {
                throw new SimulationFailure($"election safety: nodes {other} and {node.Id} both led term {status.Term}");
            }

            _leaderOfTerm[status.Term] = node.Id;
            if (_leadersChecked.Add((status.Term, node.Id)))
            {
                // A new leader must hold every entry committed so far.
                foreach (var (index, committed) in _committed)
                {
                    CheckLeaderHolds(node, index, committed.Term);
                }
            }
        }
    }

    /// <summary>An entry is applied: the same entry must be applied at that index everywhere, in order, and only once committed.</summary>
    public void OnApply(SimNode node, Entry entry)
    {
        if (entry.Index != node.AppliedIndex + 1)
        {
            throw new SimulationFailure($"node {node.Id} applied index {entry.Index} after {node.AppliedIndex}");
        }

        if (!_committed.TryGetValue(entry.Index, out var committed) || committed.Term != entry.Term)
        {
            throw new SimulationFailure($"node {node.Id} applied index {entry.Index} (term {entry.Term}) which is not known as committed");
        }

        if (_applied.TryGetValue(entry.Index, out var applied))
        {
            if (applied.Term != entry.Term || applied.Data != entry.Data)
            {
                throw new SimulationFailure(
                    $"state machine safety: node {node.Id} applied term {entry.Term} at index {entry.Index}, another node applied term {applied.Term}");
            }
        }
        else
        {
            _applied[entry.Index] = (entry.Term, entry.Data);
        }
    }

    /// <summary>A snapshot is installed: it must reflect exactly the entries applied elsewhere up to its index.</summary>
    public void OnSnapshotInstalled(SimNode node, Snapshot snapshot)
    {
        ulong index = snapshot.Metadata.Index;
        if (_committed.TryGetValue(index, out var committed) && committed.Term != snapshot.Metadata.Term)
        {
            throw new SimulationFailure($"node {node.Id} installed a snapshot at {index} with term {snapshot.Metadata.Term}, committed term is {committed.Term}");
        }

        var expected = new List<string>();
        for (ulong i = 2; i <= index; i++)
        {
            if (!_applied.TryGetValue(i, out var applied))
            {
                throw new SimulationFailure($"node {node.Id} installed a snapshot at {index} covering index {i} that nobody applied");
            }

            if (!applied.Data.IsEmpty)
            {
                expected.Add(applied.Data.ToStringUtf8());
            }
        }

        var actual = SimNode.DecodeState(snapshot.Data);
        if (!expected.SequenceEqual(actual))
        {
            throw new SimulationFailure($"node {node.Id} installed a snapshot at {index} whose state differs from the applied entries");
        }
    }

    public void OnReadRequested(string context) => _readFloors[context] = MaxCommitted;

    public void OnReadState(SimNode node, ReadState state)
    {
        string context = state.RequestContext.ToStringUtf8();
        if (!_readFloors.TryGetValue(context, out ulong floor))
        {
            throw new SimulationFailure($"node {node.Id} got a read state for unknown request {context}");
        }

        if (state.Index < floor)
        {
            throw new SimulationFailure(
                $"linearizability: read {context} on node {node.Id} got index {state.Index}, but {floor} was committed before it was requested");
        }

        ReadsConfirmed++;
    }

    private void CheckEntryIdentity(ulong nodeId, RaftLog log, Entry entry)
    {
        ulong prevTerm = log.TryTerm(entry.Index - 1, out ulong term) ? term : ulong.MaxValue;
        var key = (entry.Index, entry.Term);
        if (_entries.TryGetValue(key, out var known))
        {
            if (known.Type != entry.Type || known.Data != entry.Data)
            {
                throw new SimulationFailure($"log matching: node {nodeId} holds a different entry at index {entry.Index} term {entry.Term}");
            }

            if (prevTerm != ulong.MaxValue && known.PrevTerm != ulong.MaxValue && known.PrevTerm != prevTerm)
            {
                throw new SimulationFailure(
                    $"log matching: node {nodeId} has term {prevTerm} before ({entry.Index}, {entry.Term}), elsewhere it is {known.PrevTerm}");
            }

            if (known.PrevTerm == ulong.MaxValue && prevTerm != ulong.MaxValue)
            {
                _entries[key] = (known.Type, known.Data, prevTerm);
            }
        }
        else
        {
            _entries[key] = (entry.Type, entry.Data, prevTerm);
        }
    }

    private void RecordCommitted(ulong nodeId, RaftLog log, ulong index, List<SimNode> running)
    {
        if (!log.TryTerm(index, out ulong term))
        {
            // Covered by a snapshot this node installed; the snapshot itself was checked on installation.
            return;
        }

        ByteString? data = index >= log.FirstIndex ? log.Slice(index, index + 1, ulong.MaxValue)[0].Data : null;
        if (_committed.TryGetValue(index, out var known))
        {
            if (known.Term != term || (data is not null && known.Data is not null && known.Data != data))
            {
                throw new SimulationFailure(
                    $"committed entry changed: node {nodeId} has term {term} at committed index {index}, previously term {known.Term}");
            }

            if (known.Data is null && data is not null)
            {
                _committed[index] = (term, data);
            }

            return;
        }

        _committed[index] = (term, data);
        MaxCommitted = Math.Max(MaxCommitted, index);

        // Leaders of later terms elected before this commitment became visible must hold the entry as well.
        foreach (var node in running)
        {
            var status = node.Node.BasicStatus;
            if (status.Role == RaftRole.Leader && status.Term > term)
            {
                CheckLeaderHolds(node, index, term);
            }
        }
    }

    private static void CheckLeaderHolds(SimNode leader, ulong index, ulong term)
    {
        var log = leader.Node.Log;
        if (index + 1 < log.FirstIndex)
        {
            return;
        }

        if (!log.TryTerm(index, out ulong held) || held != term)
        {
            throw new SimulationFailure(
                $"leader completeness: leader {leader.Id} (term {leader.Node.BasicStatus.Term}) lacks committed entry {index} of term {term}");
        }
    }
}
