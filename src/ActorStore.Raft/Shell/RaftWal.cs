using Akka.Actor;
using Akka.Persistence;
using Microsoft.Extensions.Logging;
using Persistpb;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// The persistent actor that owns a member's Raft log (its WAL) in the Akka.Persistence journal. Each write is one
/// event (<see cref="RaftWalRecord"/>) stored with one PersistAsync, so writes never stash what arrives meanwhile.
/// Recovery replays the latest <see cref="RaftWalSnapshot"/> and the events after it into a
/// <see cref="MemoryRaftLogStorage"/>, hands it over once and keeps nothing of the log afterwards. A compaction saves a
/// snapshot of the whole log as it stands after the last event, then deletes the events and older snapshots below it.
/// </summary>
public sealed class RaftWal : ReceivePersistentActor
{
    private readonly TaskCompletionSource<MemoryRaftLogStorage?> _recovered;
    private readonly ILogger _log;
    private readonly Queue<Action<Exception?>> _writesInFlight = new();
    private MemoryRaftLogStorage? _replayed;
    private readonly RaftWalRetention _retention;
    // The snapshots this actor knows of (the recovered one, then those it saved), oldest first.
    private readonly List<long> _snapshotSequenceNrs = [];

    public RaftWal(string persistenceId, TaskCompletionSource<MemoryRaftLogStorage?> recovered, ILogger log, RaftWalRetention? retention = null)
    {
        PersistenceId = persistenceId;
        _recovered = recovered;
        _log = log;
        _retention = retention ?? RaftWalRetention.LatestOnly;

        Recover<SnapshotOffer>(offer =>
        {
            _snapshotSequenceNrs.Add(offer.Metadata.SequenceNr);
            RecoverSnapshot((RaftWalSnapshot)offer.Snapshot);
        });
        Recover<RaftWalRecord>(RecoverRecord);
        Recover<RecoveryCompleted>(_ => HandOver());

        Command<Append>(OnAppend);
        Command<Compact>(OnCompact);
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<SaveSnapshotFailure>(failed =>
            _log.LogWarning(failed.Cause, "failed to save the raft log snapshot at event {sequence-nr}; the journal keeps every event", failed.Metadata.SequenceNr));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed =>
            _log.LogWarning(failed.Cause, "failed to delete raft log events up to {sequence-nr}; the next compaction tries again", failed.ToSequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => _log.LogWarning(failed.Cause, "failed to delete older raft log snapshots"));
    }

    public override string PersistenceId { get; }

    /// <summary>
    /// Makes a record durable; <paramref name="Done"/> runs on this actor once the journal confirmed it (with null) or
    /// the write failed (with why). It must only hand the outcome on.
    /// </summary>
    internal sealed record Append(RaftWalRecord Record, Action<Exception?> Done);

    /// <summary>The whole log as it stands after the last confirmed event, to become the journal's snapshot.</summary>
    internal sealed record Compact(RaftWalSnapshot Log);

    private void RecoverSnapshot(RaftWalSnapshot stored)
    {
        _replayed = new MemoryRaftLogStorage();
        _replayed.Restore(stored.Snapshot ?? new Snapshot(), stored.CompactedIndex, stored.CompactedTerm, stored.Entries);
        if (stored.HardState is not null)
        {
            _replayed.SetHardState(stored.HardState);
        }
    }

    private void RecoverRecord(RaftWalRecord record)
    {
        _replayed ??= new MemoryRaftLogStorage();
        if (record.Snapshot is { } snapshot && snapshot.Metadata.Index > _replayed.Snapshot().Metadata.Index)
        {
            _replayed.ApplySnapshot(snapshot);
        }
        // Entries at or below the last index replace the log from their first index on.
        _replayed.Append(record.Entries);
        if (record.HardState is not null)
        {
            _replayed.SetHardState(record.HardState);
        }
    }

    private void HandOver()
    {
        var storage = _replayed;
        _replayed = null;
        if (storage is not null)
        {
            var hardState = storage.HardState;
            var snapshotIndex = storage.Snapshot().Metadata.Index;
            // The commit index is stored lazily (with the next write that must be durable), so it may lag; a snapshot
            // only ever covers committed entries.
            if (hardState.Commit < snapshotIndex)
            {
                hardState.Commit = snapshotIndex;
                storage.SetHardState(hardState);
            }
        }
        _recovered.TrySetResult(storage);
    }

    private void OnAppend(Append append)
    {
        _writesInFlight.Enqueue(append.Done);
        PersistAsync(append.Record, _ => _writesInFlight.Dequeue()(null));
    }

    private void OnCompact(Compact compact)
    {
        if (_writesInFlight.Count > 0)
        {
            // The snapshot must stand for exactly the events up to LastSequenceNr; the Raft member only compacts
            // between writes, so this is a bug, and saving would lose the write in flight on replay.
            _log.LogError("refused to compact the raft log while {writes} writes are in flight", _writesInFlight.Count);
            return;
        }
        SaveSnapshot(compact.Log);
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess saved)
    {
        _snapshotSequenceNrs.Add(saved.Metadata.SequenceNr);
        if (RaftWalRetention.OldestKept(_snapshotSequenceNrs, _retention.Segments) is { } eventsUpTo)
        {
            DeleteMessages(eventsUpTo);
        }
        if (RaftWalRetention.OldestKept(_snapshotSequenceNrs, _retention.Snapshots) is { } oldestSnapshot)
        {
            DeleteSnapshots(new SnapshotSelectionCriteria(oldestSnapshot - 1));
        }
        var remembered = Math.Max(_retention.Snapshots, _retention.Segments);
        if (_retention.Snapshots > 0 && _retention.Segments > 0 && _snapshotSequenceNrs.Count > remembered)
        {
            _snapshotSequenceNrs.RemoveRange(0, _snapshotSequenceNrs.Count - remembered);
        }
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered.TrySetException(reason);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Akka stops this actor now: every write waiting for the journal fails with the cause.
        FailWritesInFlight(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The actor would go on, but the Raft member cannot: the write it was promised did not happen.
        FailWritesInFlight(cause);
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        FailWritesInFlight(new InvalidOperationException($"the raft log {PersistenceId} stopped"));
        _recovered.TrySetException(new InvalidOperationException($"the raft log {PersistenceId} stopped before it was read"));
        base.PostStop();
    }

    private void FailWritesInFlight(Exception cause)
    {
        while (_writesInFlight.TryDequeue(out var done))
        {
            done(cause);
        }
    }
}
