using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Tests;

internal static class Fixtures
{
    public static ByteString Text(string value) => ByteString.CopyFromUtf8(value);

    public static ConfState Voters(params ulong[] ids)
    {
        var state = new ConfState();
        state.Voters.AddRange(ids);
        return state;
    }

    /// <summary>A founding member's storage whose log continues after the bootstrap point with entries of the given terms.</summary>
    public static MemoryRaftLogStorage StorageWithTerms(ConfState membership, ulong currentTerm, params ulong[] terms)
    {
        var storage = MemoryRaftLogStorage.CreateBootstrapped(membership);
        var entries = terms.Select((term, i) => new Entry { Index = (ulong)i + 2, Term = term }).ToList();
        storage.Append(entries);
        storage.SetHardState(new HardState { Term = currentTerm, Commit = 1 });
        return storage;
    }

    public static RaftConfig Config(ulong id, bool preVote = false, bool checkQuorum = false) => new()
    {
        Id = id,
        ElectionTick = 10,
        HeartbeatTick = 1,
        PreVote = preVote,
        CheckQuorum = checkQuorum,
        Random = new SeededRaftRandom((int)id),
    };

    /// <summary>Persists a Ready into the storage and advances; returns the Ready for inspection.</summary>
    public static Ready Drain(RaftNode node, MemoryRaftLogStorage storage)
    {
        var ready = node.GetReady();
        if (ready.Snapshot is not null)
        {
            storage.ApplySnapshot(ready.Snapshot);
        }

        storage.Append(ready.Entries);
        if (ready.HardState is not null)
        {
            storage.SetHardState(ready.HardState);
        }

        node.Advance(ready);
        return ready;
    }

    /// <summary>Drains every pending Ready and returns all messages they carried.</summary>
    public static List<Message> DrainMessages(RaftNode node, MemoryRaftLogStorage storage)
    {
        var messages = new List<Message>();
        while (node.HasReady())
        {
            messages.AddRange(Drain(node, storage).Messages);
        }

        return messages;
    }

    public static Message Msg(MessageType type, ulong from, ulong to, ulong term, ulong index = 0, ulong logTerm = 0, bool reject = false) =>
        new() { Type = type, From = from, To = to, Term = term, Index = index, LogTerm = logTerm, Reject = reject };

    /// <summary>Ticks the given members (and lets traffic flow) until one of them leads.</summary>
    public static ulong TickUntilLeaderAmong(Cluster cluster, params ulong[] ids)
    {
        for (int i = 0; i < 200; i++)
        {
            foreach (ulong id in ids)
            {
                cluster.Tick(id);
            }

            cluster.Stabilize();
            foreach (ulong id in ids)
            {
                if (cluster[id].Status.Role == RaftRole.Leader)
                {
                    return id;
                }
            }
        }

        throw new InvalidOperationException("no leader emerged");
    }
}
