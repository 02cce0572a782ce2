using ActorStore.Actors;
using ActorStore.Mvcc;
using ActorStore.Persistence;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Log;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Apply;

/// <summary>
/// The single writer of the keyspace: applies committed requests in log order, answers the requests waiting on
/// them, serves reads, and every <c>snapshot-count</c> entries saves a snapshot so the journal can be compacted.
/// </summary>
public sealed class ApplyActor : ReceiveActor
{
    private readonly RequestApplier _applier;
    private readonly MvccStore _store;
    private readonly ApplyView _view;
    private readonly IJournal _journal;
    private readonly ISnapshotStore _snapshots;
    private readonly string _persistenceId;
    private readonly MemberOptions _options;
    private readonly ILogger _log;
    private long _appliedIndex;
    private long _snapshotIndex;
    private bool _snapshotInFlight;

    public ApplyActor(
        RequestApplier applier,
        MvccStore store,
        IJournal journal,
        ISnapshotStore snapshots,
        string persistenceId,
        long appliedIndex,
        long snapshotIndex,
        MemberOptions options,
        ILogger log)
    {
        _applier = applier;
        _store = store;
        _journal = journal;
        _snapshots = snapshots;
        _persistenceId = persistenceId;
        _appliedIndex = appliedIndex;
        _snapshotIndex = snapshotIndex;
        _options = options;
        _log = log;
        _view = new ApplyView(applier.Kv, store, () => _appliedIndex);

        Receive<Committed>(OnCommitted);
        Receive<Query>(OnQuery);
        Receive<SnapshotSaved>(OnSnapshotSaved);
        Receive<SnapshotFailed>(OnSnapshotFailed);
    }

    private void OnCommitted(Committed committed)
    {
        var proposals = committed.Proposals;
        for (var i = 0; i < proposals.Count; i++)
        {
            var proposal = proposals[i];
            try
            {
                proposal.Completion.TrySetResult(_applier.Apply(proposal.Request));
            }
            catch (RpcException e)
            {
                proposal.Completion.TrySetException(e);
            }
        }
        _appliedIndex = committed.FirstIndex + proposals.Count - 1;
        MaybeSnapshot();
    }

    private void OnQuery(Query query)
    {
        try
        {
            query.Completion.TrySetResult(_applier.Stamp(query.Read(_view)));
        }
        catch (RpcException e)
        {
            query.Completion.TrySetException(e);
        }
    }

    private void MaybeSnapshot()
    {
        if (_snapshotInFlight || _appliedIndex - _snapshotIndex < _options.SnapshotCount)
        {
            return;
        }
        _snapshotInFlight = true;
        var index = _appliedIndex;
        using var buffer = new MemoryStream();
        _store.WriteSnapshot(buffer);
        SaveSnapshotAsync(index, buffer.ToArray()).PipeTo(Self);
    }

    private async Task<object> SaveSnapshotAsync(long index, byte[] data)
    {
        try
        {
            await _snapshots.SaveAsync(new SnapshotMetadata(_persistenceId, index, DateTimeOffset.UtcNow), data).ConfigureAwait(false);
            return new SnapshotSaved(index);
        }
        catch (Exception e)
        {
            return new SnapshotFailed(index, e);
        }
    }

    private void OnSnapshotSaved(SnapshotSaved saved)
    {
        _snapshotInFlight = false;
        _snapshotIndex = saved.Index;
        _log.LogInformation("saved snapshot {snapshot-index}", saved.Index);
        var compactTo = saved.Index - _options.SnapshotCatchUpEntries;
        if (compactTo > 0)
        {
            _ = CompactJournalAsync(compactTo);
        }
        // Background chores: each logs its own failure, and a failure only leaves more on disk than needed.
        _ = DeleteOlderSnapshotsAsync(saved.Index);
    }

    private void OnSnapshotFailed(SnapshotFailed failed)
    {
        _snapshotInFlight = false;
        _log.LogError(failed.Cause, "failed to save snapshot {snapshot-index}", failed.Index);
    }

    private async Task CompactJournalAsync(long toIndex)
    {
        try
        {
            await _journal.DeleteToAsync(_persistenceId, toIndex).ConfigureAwait(false);
            _log.LogInformation("compacted journal {compact-index}", toIndex);
        }
        catch (Exception e)
        {
            _log.LogError(e, "failed to compact journal {compact-index}", toIndex);
        }
    }

    private async Task DeleteOlderSnapshotsAsync(long keepIndex)
    {
        try
        {
            await _snapshots.DeleteAsync(_persistenceId, new SnapshotSelectionCriteria(MaxSequenceNr: keepIndex - 1)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.LogError(e, "failed to delete old snapshots before {snapshot-index}", keepIndex);
        }
    }
}
