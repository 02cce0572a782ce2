using ActorStore.Protocol.Errors;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// One pending Lock call, a child of the member's <see cref="LockServer"/>. It binds the caller's key "N/&lt;lease
/// hex&gt;" to a lease, writes it, then waits (through a watch on its predecessor) until every older key under "N/" is
/// gone, answers, and stops. Until it has answered, the key is its own: a wait the caller cancels or that fails, and a
/// waiter stopped early, delete it, so that the lock never goes to a caller that left.
/// </summary>
internal sealed class LockWaiter : ReceiveActor
{
    private readonly ConcurrencyClient _client;
    private readonly ConcurrencyCall<LockRequest, LockResponse> _call;
    private readonly ByteString _prefix;
    // Ends the wait (and its watch) when the caller cancels or this waiter stops.
    private readonly CancellationTokenSource _waiting;
    private ByteString? _key;
    // The write of the key, while the caller may still lose it: null before, and again once answered.
    private Task? _unsettledKey;

    public LockWaiter(ConcurrencyClient client, ConcurrencyCall<LockRequest, LockResponse> call)
    {
        _client = client;
        _call = call;
        _prefix = ConcurrencyKeys.PrefixOf(call.Request.Name);
        _waiting = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
        Leasing();
    }

    public static Props Props(ConcurrencyClient client, ConcurrencyCall<LockRequest, LockResponse> call) =>
        ActorFactory.Props(() => new LockWaiter(client, call));

    protected override void PreStart() =>
        _client.SessionLeaseAsync(_call.Request.Lease, _call.Cancellation)
            .PipeTo(Self, success: lease => new LeaseChosen(lease), failure: error => new StepFailed(error));

    protected override void PostStop()
    {
        _waiting.Cancel();
        _waiting.Dispose();
        // A waiter stopped before it answered (the member stops, or a handler failed) tells the caller so (a no-op
        // once answered) and removes its key.
        _call.Fail(ConcurrencyErrors.Relayed(EtcdErrors.Stopped));
        if (_unsettledKey is { } written)
        {
            _ = DeleteWhenWrittenAsync(written, _key!);
        }
    }

    private void Leasing()
    {
        Receive<LeaseChosen>(chosen => Place(chosen.Lease));
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    /// <summary>
    /// Adds the key unless this lease already waits for or holds the lock; either way learns the holder in the same
    /// step. The caller's token does not cut this step short: once the key may be written, only the wait (which removes
    /// it on cancellation) may end the call, so a canceled caller leaves no key behind.
    /// </summary>
    private void Place(long lease)
    {
        var key = ConcurrencyKeys.KeyOf(_prefix, lease);
        var owner = ConcurrencyKeys.Get(ConcurrencyKeys.FirstCreated(_prefix));
        var placing = _client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(key, 0) },
            Success = { ConcurrencyKeys.Put(key, ByteString.Empty, lease), owner },
            Failure = { ConcurrencyKeys.Get(key), owner },
        }, CancellationToken.None);
        _key = key;
        _unsettledKey = placing;
        placing.PipeTo(Self, success: joined => new Placed(joined), failure: error => new StepFailed(error));
        Become(Placing);
    }

    private void Placing()
    {
        Receive<Placed>(placed =>
        {
            var joined = placed.Joined;
            var createRevision = ConcurrencyKeys.CreateRevisionAfterJoin(joined);
            var holder = joined.Responses[1].ResponseRange.Kvs;
            if (holder.Count == 0 || holder[0].CreateRevision == createRevision)
            {
                AnswerAndStop(joined.Header);
                return;
            }
            _client.WaitDeletesAsync(_prefix, createRevision - 1, _waiting.Token)
                .PipeTo(Self, success: header => new Acquired(header), failure: error => new StepFailed(error));
            Become(Waiting);
        });
        // The write itself failed: there is no key to remove.
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    private void Waiting()
    {
        Receive<Acquired>(acquired => AnswerAndStop(acquired.Header));
        Receive<StepFailed>(failed =>
        {
            DeleteQuietlyAsync(_key!).PipeTo(Self, success: () => new KeyRemoved(failed.Error));
            Become(Removing);
        });
    }

    private void Removing() => Receive<KeyRemoved>(removed => FailAndStop(removed.Error));

    private void AnswerAndStop(ResponseHeader header)
    {
        _unsettledKey = null;
        _call.Answer(new LockResponse { Header = header, Key = _key });
        Context.Stop(Self);
    }

    private void FailAndStop(Exception error)
    {
        _unsettledKey = null;
        _call.Fail(error);
        Context.Stop(Self);
    }

    private async Task DeleteWhenWrittenAsync(Task written, ByteString key)
    {
        try
        {
            await written.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A write that failed may still have been applied (a timeout): deleting is right either way.
        }
        await DeleteQuietlyAsync(key).ConfigureAwait(false);
    }

    /// <summary>Best effort: the caller's own failure is what it hears about, and the lease bounds a key left behind.</summary>
    private async Task DeleteQuietlyAsync(ByteString key)
    {
        try
        {
            await _client.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ignored on purpose (see above).
        }
    }

    private sealed record LeaseChosen(long Lease);

    private sealed record Placed(TxnResponse Joined);

    private sealed record Acquired(ResponseHeader Header);

    private sealed record StepFailed(Exception Error);

    private sealed record KeyRemoved(Exception Error);
}
