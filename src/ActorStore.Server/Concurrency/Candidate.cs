using Akka.Actor;
using Etcdserverpb;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// One pending Campaign call, a child of the member's <see cref="ElectionServer"/>. It puts the caller's value under
/// "N/&lt;lease hex&gt;" (or, when that lease already campaigns, keeps its place and proclaims the value) and waits
/// through a watch until every older candidate is gone. A candidate whose caller cancels the wait withdraws its key
/// before the call fails.
/// </summary>
internal sealed class Candidate : Contender<CampaignRequest, CampaignResponse>
{
    private readonly ElectionWrites _writes;

    public Candidate(ConcurrencyClient client, ElectionWrites writes, ConcurrencyCall<CampaignRequest, CampaignResponse> call)
        : base(client, call, call.Request.Name, call.Request.Lease)
    {
        _writes = writes;
    }

    public static Props Props(ConcurrencyClient client, ElectionWrites writes, ConcurrencyCall<CampaignRequest, CampaignResponse> call) =>
        ActorFactory.Props(() => new Candidate(client, writes, call));

    protected override Task<TxnResponse> Join() =>
        Client.TxnAsync(new TxnRequest
        {
            Compare = { ConcurrencyKeys.CreatedAt(Key, 0) },
            Success = { ConcurrencyKeys.Put(Key, Call.Request.Value, Lease) },
            Failure = { ConcurrencyKeys.Get(Key) },
        }, CancellationToken.None);

    protected override void OnJoined(TxnResponse joined)
    {
        var createRevision = ConcurrencyKeys.CreateRevisionAfterJoin(joined);
        // A lease that already campaigns keeps its place; only a new value needs proclaiming.
        if (joined.Succeeded || joined.Responses[0].ResponseRange.Kvs[0].Value == Call.Request.Value)
        {
            Wait(joined, createRevision);
            return;
        }
        // The proclamation withdraws the candidate itself when it fails.
        _writes.ProclaimOrWithdrawAsync(Key, createRevision, Lease, Call.Request.Value, Call.Cancellation)
            .PipeTo(Self, success: () => new Proclaimed(joined, createRevision), failure: error => new StepFailed(error));
        Become(() =>
        {
            Receive<Proclaimed>(proclaimed => Wait(proclaimed.Joined, proclaimed.CreateRevision));
            Receive<StepFailed>(failed => FailAndStop(failed.Error));
        });
    }

    protected override async Task RemoveAbandonedKeyAsync(Task<TxnResponse> joining)
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
        await _writes.WithdrawQuietlyAsync(Key, ConcurrencyKeys.CreateRevisionAfterJoin(joined), CancellationToken.None).ConfigureAwait(false);
    }

    private void Wait(TxnResponse joined, long createRevision)
    {
        Client.WaitDeletesAsync(Prefix, createRevision - 1, WaitToken)
            .PipeTo(Self, success: _ => new Elected(), failure: error => new StepFailed(error));
        Become(() => Waiting(joined, createRevision));
    }

    private void Waiting(TxnResponse joined, long createRevision)
    {
        // etcd answers the header of the step that placed the candidate, not of the wait.
        Receive<Elected>(_ => AnswerAndStop(new CampaignResponse
        {
            Header = joined.Header,
            Leader = new LeaderKey { Name = Call.Request.Name, Key = Key, Rev = createRevision, Lease = Lease },
        }));
        Receive<StepFailed>(failed =>
        {
            // Only a canceled caller withdraws; a wait that failed otherwise leaves the candidate in place, as etcd's.
            if (!Call.Cancellation.IsCancellationRequested)
            {
                FailAndStop(failed.Error);
                return;
            }
            _writes.WithdrawQuietlyAsync(Key, createRevision, CancellationToken.None)
                .PipeTo(Self, success: () => new Withdrawn(failed.Error));
            Become(() => Receive<Withdrawn>(withdrawn => FailAndStop(withdrawn.Error)));
        });
    }

    private sealed record Proclaimed(TxnResponse Joined, long CreateRevision);

    private sealed record Elected;

    private sealed record Withdrawn(Exception Error);
}
