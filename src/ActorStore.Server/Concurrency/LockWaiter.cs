using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// One pending Lock call, a child of the member's <see cref="LockServer"/>. It adds the key "N/&lt;lease hex&gt;" bound to
/// the caller's lease and waits (through a watch on its predecessor) until every older key under "N/" is gone. A wait
/// the caller cancels or that fails deletes the key before the call fails, so the lock never goes to a caller that left.
/// </summary>
internal sealed class LockWaiter : Contender<LockRequest, LockResponse>
{
    public LockWaiter(ConcurrencyClient client, ConcurrencyCall<LockRequest, LockResponse> call)
        : base(client, call, call.Request.Name, call.Request.Lease)
    {
    }

    public static Props Props(ConcurrencyClient client, ConcurrencyCall<LockRequest, LockResponse> call) =>
        ActorFactory.Props(() => new LockWaiter(client, call));

    /// <summary>Adds the key unless this lease already waits for or holds the lock; either way learns the holder in the same step.</summary>
    protected override Task<TxnResponse> Join()
    {
        var owner = ConcurrencyKeys.Get(ConcurrencyKeys.FirstCreated(Prefix));
        return Client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(Key, 0) },
            Success = { ConcurrencyKeys.Put(Key, ByteString.Empty, Lease), owner },
            Failure = { ConcurrencyKeys.Get(Key), owner },
        }, CancellationToken.None);
    }

    protected override void OnJoined(TxnResponse joined)
    {
        var createRevision = ConcurrencyKeys.CreateRevisionAfterJoin(joined);
        var holder = joined.Responses[1].ResponseRange.Kvs;
        if (holder.Count == 0 || holder[0].CreateRevision == createRevision)
        {
            AnswerAndStop(new LockResponse { Header = joined.Header, Key = Key });
            return;
        }
        Client.WaitDeletesAsync(Prefix, createRevision - 1, WaitToken)
            .PipeTo(Self, success: header => new Acquired(header), failure: error => new StepFailed(error));
        Become(Waiting);
    }

    protected override async Task RemoveAbandonedKeyAsync(Task<TxnResponse> joining)
    {
        try
        {
            await joining.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A write that failed may still have been applied (a timeout): deleting is right either way.
        }
        await DeleteQuietlyAsync().ConfigureAwait(false);
    }

    private void Waiting()
    {
        Receive<Acquired>(acquired => AnswerAndStop(new LockResponse { Header = acquired.Header, Key = Key }));
        Receive<StepFailed>(failed =>
        {
            DeleteQuietlyAsync().PipeTo(Self, success: () => new KeyRemoved(failed.Error));
            Become(() => Receive<KeyRemoved>(removed => FailAndStop(removed.Error)));
        });
    }

    /// <summary>Best effort: the caller's own failure is what it hears about, and the lease bounds a key left behind.</summary>
    private async Task DeleteQuietlyAsync()
    {
        try
        {
            await Client.DeleteAsync(Key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ignored on purpose (see above).
        }
    }

    private sealed record Acquired(ResponseHeader Header);

    private sealed record KeyRemoved(Exception Error);
}
