using ActorStore.Protocol.Errors;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// A pending Lock or Campaign call, as a child actor of its server: it picks the caller's lease, joins the contenders
/// of a name with the key "N/&lt;lease hex&gt;", waits until every older contender is gone, answers, and stops. Until it
/// has answered, the key is its own: a contender stopped early (the member stops, or a handler failed) tells its caller
/// and removes the key, so that the lock or the lead never goes to a caller that left.
/// </summary>
internal abstract class Contender<TRequest, TResponse> : ReceiveActor
{
    private readonly long _requestedLease;
    // Ends the wait (and its watch) when the caller cancels or this contender stops.
    private readonly CancellationTokenSource _waiting;
    // The write that joined, while the caller may still lose the key: null before, and again once answered.
    private Task<TxnResponse>? _unsettledJoin;

    protected Contender(ConcurrencyClient client, ConcurrencyCall<TRequest, TResponse> call, ByteString name, long lease)
    {
        Client = client;
        Call = call;
        Prefix = ConcurrencyKeys.PrefixOf(name);
        _requestedLease = lease;
        _waiting = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
        Receive<LeaseChosen>(chosen =>
        {
            Lease = chosen.Lease;
            Key = ConcurrencyKeys.KeyOf(Prefix, chosen.Lease);
            _unsettledJoin = Join();
            _unsettledJoin.PipeTo(Self, success: joined => new Joined(joined), failure: error => new StepFailed(error));
        });
        Receive<Joined>(joined => OnJoined(joined.Txn));
        // The lease or the write failed: there is no key to remove.
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    protected ConcurrencyClient Client { get; }

    protected ConcurrencyCall<TRequest, TResponse> Call { get; }

    /// <summary>"N/", under which every contender of the name has its key.</summary>
    protected ByteString Prefix { get; }

    protected long Lease { get; private set; }

    protected ByteString Key { get; private set; } = ByteString.Empty;

    /// <summary>Canceled when the caller cancels or this contender stops: the wait for older contenders ends.</summary>
    protected CancellationToken WaitToken => _waiting.Token;

    protected override void PreStart() =>
        Client.SessionLeaseAsync(_requestedLease, Call.Cancellation)
            .PipeTo(Self, success: lease => new LeaseChosen(lease), failure: error => new StepFailed(error));

    protected override void PostStop()
    {
        _waiting.Cancel();
        _waiting.Dispose();
        // A no-op once answered.
        Call.Fail(ConcurrencyErrors.Relayed(EtcdErrors.Stopped));
        if (_unsettledJoin is { } joining)
        {
            _ = RemoveAbandonedKeyAsync(joining);
        }
    }

    /// <summary>
    /// Writes <see cref="Key"/> unless it exists (then reads it); <see cref="OnJoined"/> gets the answer. Not to be cut
    /// short by the caller's token: once the key may be written, only the wait (which removes it when canceled) may end
    /// the call, so a canceled caller leaves no key behind.
    /// </summary>
    protected abstract Task<TxnResponse> Join();

    /// <summary>Answers at once or starts the wait, moving on from the first state (which fails the call on a failed join).</summary>
    protected abstract void OnJoined(TxnResponse joined);

    /// <summary>Best effort, once <paramref name="joining"/> has ended: removes the key of a contender stopped early.</summary>
    protected abstract Task RemoveAbandonedKeyAsync(Task<TxnResponse> joining);

    protected void AnswerAndStop(TResponse response)
    {
        _unsettledJoin = null;
        Call.Answer(response);
        Context.Stop(Self);
    }

    protected void FailAndStop(Exception error)
    {
        _unsettledJoin = null;
        Call.Fail(error);
        Context.Stop(Self);
    }

    protected sealed record StepFailed(Exception Error);

    private sealed record LeaseChosen(long Lease);

    private sealed record Joined(TxnResponse Txn);
}
