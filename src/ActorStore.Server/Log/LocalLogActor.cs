using ActorStore.Actors;
using ActorStore.Persistence;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Apply;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Log;

/// <summary>
/// The log of a single member: orders proposals, makes each batch durable with one journal write (one fsync),
/// and only then hands it to the apply actor. While a write is in flight new proposals gather into the next
/// batch, so the batch grows with the load (group commit). The Raft member takes this place in a cluster.
/// </summary>
public sealed class LocalLogActor : ReceiveActor
{
    /// <summary>Bounds one journal transaction so a burst cannot build one huge write.</summary>
    private const int MaxBatch = 4096;

    private readonly IJournal _journal;
    private readonly string _persistenceId;
    private readonly IActorRef _apply;
    private readonly ILogger _log;
    private List<Proposal> _pending = new(64);
    private long _lastIndex;
    private bool _writing;
    private Exception? _failure;

    public LocalLogActor(IJournal journal, string persistenceId, long lastIndex, IActorRef apply, ILogger log)
    {
        _journal = journal;
        _persistenceId = persistenceId;
        _lastIndex = lastIndex;
        _apply = apply;
        _log = log;
        Receive<Proposal>(OnProposal);
        Receive<JournalWritten>(OnWritten);
        Receive<JournalWriteFailed>(OnWriteFailed);
    }

    private void OnProposal(Proposal proposal)
    {
        if (_failure is not null)
        {
            proposal.Completion.TrySetException(JournalUnavailable(_failure));
            return;
        }
        _pending.Add(proposal);
        if (!_writing)
        {
            StartWrite();
        }
    }

    private void OnWritten(JournalWritten written)
    {
        _writing = false;
        _apply.Tell(new Committed(written.FirstIndex, written.Batch));
        if (_pending.Count > 0)
        {
            StartWrite();
        }
    }

    private void OnWriteFailed(JournalWriteFailed failed)
    {
        // The log no longer knows what is on disk past the last good batch, so it takes no more writes:
        // the member must restart and recover from the journal, which never held an unacknowledged entry.
        _writing = false;
        _failure = failed.Cause;
        _log.LogCritical(failed.Cause, "journal write failed; member refuses further writes until restarted");
        foreach (var proposal in failed.Batch)
        {
            proposal.Completion.TrySetException(JournalUnavailable(failed.Cause));
        }
        foreach (var proposal in _pending)
        {
            proposal.Completion.TrySetException(JournalUnavailable(failed.Cause));
        }
        _pending.Clear();
    }

    private void StartWrite()
    {
        List<Proposal> batch;
        if (_pending.Count <= MaxBatch)
        {
            batch = _pending;
            _pending = new List<Proposal>(Math.Max(64, batch.Count));
        }
        else
        {
            batch = _pending.GetRange(0, MaxBatch);
            _pending.RemoveRange(0, MaxBatch);
        }

        var firstIndex = _lastIndex + 1;
        var entries = new JournalEntry[batch.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new JournalEntry(_persistenceId, firstIndex + i, batch[i].Payload);
        }
        _lastIndex += entries.Length;
        _writing = true;
        WriteAsync(new AtomicWrite(_persistenceId, entries), firstIndex, batch).PipeTo(Self);
    }

    private async Task<object> WriteAsync(AtomicWrite write, long firstIndex, List<Proposal> batch)
    {
        try
        {
            await _journal.WriteAsync([write]).ConfigureAwait(false);
            return new JournalWritten(firstIndex, batch);
        }
        catch (Exception e)
        {
            return new JournalWriteFailed(batch, e);
        }
    }

    private static RpcException JournalUnavailable(Exception cause) =>
        new(StatusCode.Unavailable, "actorstore: journal write failed: " + cause.Message);
}
