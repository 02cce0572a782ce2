using ActorStore.Protocol.Errors;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// One pending Campaign call, a child of the member's <see cref="ElectionServer"/>. It puts the caller's value under
/// "N/&lt;lease hex&gt;" (or, when that lease already campaigns, keeps its place and proclaims the value), waits through a
/// watch until every older candidate is gone, answers, and stops. A candidate whose caller cancels the wait, or that is
/// stopped before answering, withdraws its key.
/// </summary>
internal sealed class Candidate : ReceiveActor
{
    private readonly ConcurrencyClient _client;
    private readonly ElectionWrites _writes;
    private readonly ConcurrencyCall<CampaignRequest, CampaignResponse> _call;
    private readonly ByteString _prefix;
    // Ends the wait (and its watch) when the caller cancels or this candidate stops.
    private readonly CancellationTokenSource _waiting;
    private long _lease;
    private ByteString? _key;
    // The write that placed the candidate, while the caller may still lose the key: null before, and again once answered.
    private Task<TxnResponse>? _unsettledJoin;

    public Candidate(ConcurrencyClient client, ElectionWrites writes, ConcurrencyCall<CampaignRequest, CampaignResponse> call)
    {
        _client = client;
        _writes = writes;
        _call = call;
        _prefix = ConcurrencyKeys.PrefixOf(call.Request.Name);
        _waiting = CancellationTokenSource.CreateLinkedTokenSource(call.Cancellation);
        Leasing();
    }

    public static Props Props(ConcurrencyClient client, ElectionWrites writes, ConcurrencyCall<CampaignRequest, CampaignResponse> call) =>
        ActorFactory.Props(() => new Candidate(client, writes, call));

    protected override void PreStart() =>
        _client.SessionLeaseAsync(_call.Request.Lease, _call.Cancellation)
            .PipeTo(Self, success: lease => new LeaseChosen(lease), failure: error => new StepFailed(error));

    protected override void PostStop()
    {
        _waiting.Cancel();
        _waiting.Dispose();
        // A candidate stopped before it answered (the member stops, or a handler failed) tells the caller so (a no-op
        // once answered) and withdraws.
        _call.Fail(ConcurrencyErrors.Relayed(EtcdErrors.Stopped));
        if (_unsettledJoin is { } joining)
        {
            _ = WithdrawWhenJoinedAsync(joining, _key!);
        }
    }

    private void Leasing()
    {
        Receive<LeaseChosen>(chosen => Join(chosen.Lease));
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    private void Join(long lease)
    {
        _lease = lease;
        _key = ConcurrencyKeys.KeyOf(_prefix, lease);
        // Not cut short by the caller's token, so that a canceled candidate always reaches the withdrawal.
        var joining = _client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(_key, 0) },
            Success = { ConcurrencyKeys.Put(_key, _call.Request.Value, lease) },
            Failure = { ConcurrencyKeys.Get(_key) },
        }, CancellationToken.None);
        _unsettledJoin = joining;
        joining.PipeTo(Self, success: joined => new Joined(joined), failure: error => new StepFailed(error));
        Become(Joining);
    }

    private void Joining()
    {
        Receive<Joined>(joined =>
        {
            var createRevision = ConcurrencyKeys.CreateRevisionAfterJoin(joined.Txn);
            // A lease that already campaigns keeps its place; only a new value needs proclaiming.
            if (joined.Txn.Succeeded || joined.Txn.Responses[0].ResponseRange.Kvs[0].Value == _call.Request.Value)
            {
                Wait(joined.Txn, createRevision);
                return;
            }
            // The proclamation withdraws the candidate itself when it fails.
            _writes.ProclaimOrWithdrawAsync(_key!, createRevision, _lease, _call.Request.Value, _call.Cancellation)
                .PipeTo(Self, success: () => new Proclaimed(joined.Txn, createRevision), failure: error => new StepFailed(error));
            Become(Proclaiming);
        });
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    private void Proclaiming()
    {
        Receive<Proclaimed>(proclaimed => Wait(proclaimed.Joined, proclaimed.CreateRevision));
        Receive<StepFailed>(failed => FailAndStop(failed.Error));
    }

    private void Wait(TxnResponse joined, long createRevision)
    {
        _client.WaitDeletesAsync(_prefix, createRevision - 1, _waiting.Token)
            .PipeTo(Self, success: _ => new Elected(), failure: error => new StepFailed(error));
        Become(() => Waiting(joined, createRevision));
    }

    private void Waiting(TxnResponse joined, long createRevision)
    {
        // etcd answers the header of the step that placed the candidate, not of the wait.
        Receive<Elected>(_ => AnswerAndStop(new CampaignResponse
        {
            Header = joined.Header,
            Leader = new LeaderKey { Name = _call.Request.Name, Key = _key, Rev = createRevision, Lease = _lease },
        }));
        Receive<StepFailed>(failed =>
        {
            if (!_call.Cancellation.IsCancellationRequested)
            {
                FailAndStop(failed.Error);
                return;
            }
            _writes.WithdrawQuietlyAsync(_key!, createRevision, CancellationToken.None)
                .PipeTo(Self, success: () => new Withdrawn(failed.Error));
            Become(Withdrawing);
        });
    }

    private void Withdrawing() => Receive<Withdrawn>(withdrawn => FailAndStop(withdrawn.Error));

    private void AnswerAndStop(CampaignResponse response)
    {
        _unsettledJoin = null;
        _call.Answer(response);
        Context.Stop(Self);
    }

    private void FailAndStop(Exception error)
    {
        _unsettledJoin = null;
        _call.Fail(error);
        Context.Stop(Self);
    }

    private async Task WithdrawWhenJoinedAsync(Task<TxnResponse> joining, ByteString key)
    {
        TxnResponse joined;
        try
        {
            joined = await joining.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Without the join's answer the candidate's create revision is unknown; its lease bounds the key.
            return;
        }
        await _writes.WithdrawQuietlyAsync(key, ConcurrencyKeys.CreateRevisionAfterJoin(joined), CancellationToken.None).ConfigureAwait(false);
    }

    private sealed record LeaseChosen(long Lease);

    private sealed record Joined(TxnResponse Txn);

    private sealed record Proclaimed(TxnResponse Joined, long CreateRevision);

    private sealed record Elected;

    private sealed record StepFailed(Exception Error);

    private sealed record Withdrawn(Exception Error);
}
