using Akka.Actor;
using Microsoft.Extensions.Logging;
using Persistpb;
using Raftpb;

namespace ActorStore.Raft.Shell;

/// <summary>
/// A Raft member's handle to its WAL actor (<see cref="RaftWal"/>): loads the log once at start, makes each Ready
/// durable with one message (one journal event, one write), and hands over compactions.
/// </summary>
public sealed class RaftJournal
{
    private readonly TaskCompletionSource<MemoryRaftLogStorage?> _recovered;

    private RaftJournal(IActorRef wal, string persistenceId, TaskCompletionSource<MemoryRaftLogStorage?> recovered)
    {
        Wal = wal;
        PersistenceId = persistenceId;
        _recovered = recovered;
    }

    /// <summary>The WAL actor: when it stops, nothing more can be made durable.</summary>
    public IActorRef Wal { get; }

    public string PersistenceId { get; }

    /// <summary>Starts the WAL actor of <paramref name="persistenceId"/>; it begins recovering at once.</summary>
    public static RaftJournal Start(IActorRefFactory actors, string persistenceId, ILogger log, RaftWalRetention? retention = null)
    {
        ArgumentNullException.ThrowIfNull(actors);
        var recovered = new TaskCompletionSource<MemoryRaftLogStorage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var wal = actors.ActorOf(Props.Create(() => new RaftWal(persistenceId, recovered, log, retention)), "wal-" + persistenceId);
        return new RaftJournal(wal, persistenceId, recovered);
    }

    /// <summary>
    /// The log as the journal holds it (latest snapshot plus later events); null when the member never stored any.
    /// Throws what made recovery fail (a data dir that is not ours, a damaged journal, an unreachable database).
    /// </summary>
    public Task<MemoryRaftLogStorage?> LoadAsync(CancellationToken ct = default) => _recovered.Task.WaitAsync(ct);

    /// <summary>Makes what a Ready asks to persist durable, as one event: snapshot, entries, then hard state.</summary>
    public Task PersistAsync(Snapshot? snapshot, IReadOnlyList<Entry> entries, HardState? hardState, CancellationToken ct = default)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Wal.Tell(new RaftWal.Append(Record(snapshot, entries, hardState), failure =>
        {
            if (failure is null)
            {
                written.TrySetResult();
            }
            else
            {
                written.TrySetException(failure);
            }
        }));
        return ct.CanBeCanceled ? written.Task.WaitAsync(ct) : written.Task;
    }

    /// <summary>
    /// As <see cref="PersistAsync"/>, for an actor: the WAL actor tells <paramref name="replyTo"/>
    /// <paramref name="whenDurable"/> once the write is durable, or what <paramref name="whenFailed"/> makes of the
    /// failure, with no task and no thread in between.
    /// </summary>
    public void Persist(
        Snapshot? snapshot, IReadOnlyList<Entry> entries, HardState? hardState,
        IActorRef replyTo, object whenDurable, Func<Exception, object> whenFailed)
    {
        ArgumentNullException.ThrowIfNull(replyTo);
        ArgumentNullException.ThrowIfNull(whenFailed);
        Wal.Tell(new RaftWal.Append(Record(snapshot, entries, hardState),
            failure => replyTo.Tell(failure is null ? whenDurable : whenFailed(failure), ActorRefs.NoSender)));
    }

    private static RaftWalRecord Record(Snapshot? snapshot, IReadOnlyList<Entry> entries, HardState? hardState)
    {
        ArgumentNullException.ThrowIfNull(entries);
        // The hard state is copied: the event is serialized later, on the journal's thread.
        var record = new RaftWalRecord { Snapshot = snapshot, HardState = hardState?.Clone() };
        record.Entries.AddRange(entries);
        return record;
    }

    /// <summary>
    /// Replaces the journal's events by a snapshot of the whole log as <paramref name="storage"/> holds it. Only valid
    /// while no write is in flight: the snapshot must stand for exactly the events written so far.
    /// </summary>
    public void Compact(MemoryRaftLogStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var compactedIndex = storage.FirstIndex() - 1;
        var log = new RaftWalSnapshot
        {
            Snapshot = storage.Snapshot(),
            HardState = storage.HardState,
            CompactedIndex = compactedIndex,
            CompactedTerm = storage.Term(compactedIndex),
        };
        var last = storage.LastIndex();
        if (last > compactedIndex)
        {
            log.Entries.AddRange(storage.Entries(compactedIndex + 1, last + 1, ulong.MaxValue));
        }
        Wal.Tell(new RaftWal.Compact(log));
    }
}
