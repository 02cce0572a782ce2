using ActorStore.Persistence;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The member's Raft log on the journal: entry i is the event with sequence number i, the hard state is a state record
/// written in the same atomic write as the entries it covers, and Raft snapshots live in the snapshot store.
/// </summary>
public sealed class RaftJournal
{
    private const string HardStateKey = "hardstate";

    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;

    public RaftJournal(IJournal journal, ISnapshotStore snapshots, string persistenceId)
    {
        _journal = journal;
        _snapshots = snapshots;
        PersistenceId = persistenceId;
    }

    public string PersistenceId { get; }

    /// <summary>True when the member has Raft state on disk (it was bootstrapped or joined before).</summary>
    public async Task<bool> ExistsAsync(CancellationToken ct)
    {
        var state = await _journal.ReadStateAsync(PersistenceId, ct).ConfigureAwait(false);
        return state.ContainsKey(HardStateKey);
    }

    /// <summary>Rebuilds the in-memory log storage from the latest snapshot, the hard state and the entries after it.</summary>
    public async Task<MemoryRaftLogStorage> LoadAsync(CancellationToken ct)
    {
        var storage = new MemoryRaftLogStorage();
        var stored = await _snapshots.LoadAsync(PersistenceId, SnapshotSelectionCriteria.Latest, ct).ConfigureAwait(false);
        ulong snapshotIndex = 0;
        if (stored is not null)
        {
            var snapshot = Snapshot.Parser.ParseFrom(stored.Data);
            storage.ApplySnapshot(snapshot);
            snapshotIndex = snapshot.Metadata.Index;
        }

        var state = await _journal.ReadStateAsync(PersistenceId, ct).ConfigureAwait(false);
        if (state.TryGetValue(HardStateKey, out var hardState))
        {
            var persisted = HardState.Parser.ParseFrom(hardState);
            // The commit index is written lazily (with the next write that must be durable), so it may lag; a snapshot
            // only ever covers committed entries, so the commit index is at least the snapshot's.
            if (persisted.Commit < snapshotIndex)
            {
                persisted.Commit = snapshotIndex;
            }
            storage.SetHardState(persisted);
        }

        var entries = new List<Entry>();
        var expected = snapshotIndex + 1;
        await _journal.ReplayAsync(PersistenceId, (long)expected, long.MaxValue, long.MaxValue, stored =>
        {
            if ((ulong)stored.SequenceNr != expected)
            {
                throw new InvalidDataException(
                    $"journal of {PersistenceId} has no entry {expected} (next is {stored.SequenceNr}): the data dir is damaged");
            }
            entries.Add(Entry.Parser.ParseFrom(stored.Payload.Span));
            expected++;
        }, ct).ConfigureAwait(false);
        storage.Append(entries);
        return storage;
    }

    /// <summary>Makes what a Ready asks to persist durable: snapshot first, then entries and hard state in one write.</summary>
    public async Task PersistAsync(Snapshot? snapshot, IReadOnlyList<Entry> entries, HardState? hardState, CancellationToken ct = default)
    {
        if (snapshot is not null)
        {
            await SaveSnapshotAsync(snapshot, ct).ConfigureAwait(false);
        }
        if (entries.Count > 0 || hardState is not null)
        {
            var events = new JournalEntry[entries.Count];
            for (var i = 0; i < events.Length; i++)
            {
                events[i] = new JournalEntry(PersistenceId, (long)entries[i].Index, entries[i].ToByteArray());
            }
            var state = hardState is null ? null : new Dictionary<string, byte[]> { [HardStateKey] = hardState.ToByteArray() };
            await _journal.WriteAsync([new AtomicWrite(PersistenceId, events, state)], ct).ConfigureAwait(false);
        }
        if (snapshot is not null)
        {
            // Entries the snapshot covers are never needed again.
            await _journal.DeleteToAsync(PersistenceId, (long)snapshot.Metadata.Index, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps a snapshot; older ones are superseded and removed.</summary>
    public async Task SaveSnapshotAsync(Snapshot snapshot, CancellationToken ct = default)
    {
        var index = (long)snapshot.Metadata.Index;
        await _snapshots.SaveAsync(new ActorStore.Persistence.SnapshotMetadata(PersistenceId, index, DateTimeOffset.UtcNow), snapshot.ToByteArray(), ct).ConfigureAwait(false);
        await _snapshots.DeleteAsync(PersistenceId, new SnapshotSelectionCriteria(MaxSequenceNr: index - 1), ct).ConfigureAwait(false);
    }

    /// <summary>Log compaction behind a snapshot.</summary>
    public Task CompactAsync(ulong toIndex, CancellationToken ct = default) =>
        _journal.DeleteToAsync(PersistenceId, (long)toIndex, ct);
}
