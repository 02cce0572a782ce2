using Akka.Actor;
using ActorStore.Server.Apply;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;

namespace ActorStore.Server.Lease;

/// <summary>
/// One lease. On the leader it keeps the lease's expiry, renews it on keep-alives and tells the lessor when it has
/// expired (again every retry interval until the revocation is applied). Elsewhere it never expires: it answers that
/// it is not the primary, and the keep-alive goes to the leader.
/// A keep-alive for a lease that has expired but is not revoked yet waits, as etcd's does, so that "not found" always
/// means the lease's keys are gone; if this member stops being the primary meanwhile, it answers "not primary" and the
/// asker tries the next leader.
/// </summary>
public sealed class LeaseActor : ReceiveActor
{
    private readonly long _id;
    private readonly long _ttl;
    private readonly TimeSpan _expiredRetryInterval;
    private readonly Func<IActorRef?> _apply;
    private readonly List<IActorRef> _renewersAwaitingRevocation = [];
    private DateTimeOffset? _expiry;
    private ICancelable? _timer;

    public LeaseActor(long id, long ttl, TimeSpan expiredRetryInterval, Func<IActorRef?> apply)
    {
        _id = id;
        _ttl = ttl;
        _expiredRetryInterval = expiredRetryInterval;
        _apply = apply;

        Receive<PromoteLease>(promote =>
        {
            // A new term revives an expired lease: held keep-alives go round again and renew it.
            AnswerRenewersAwaitingRevocation(LessorAnswer.Types.Outcome.NotPrimary);
            _expiry = Now + TimeSpan.FromSeconds(_ttl) + promote.Extend;
            ScheduleCheck(_expiry.Value - Now);
        });
        Receive<DemoteLease>(_ =>
        {
            AnswerRenewersAwaitingRevocation(LessorAnswer.Types.Outcome.NotPrimary);
            _expiry = null;
            _timer?.Cancel();
            _timer = null;
        });
        Receive<LeaseRevocationApplied>(_ =>
        {
            AnswerRenewersAwaitingRevocation(LessorAnswer.Types.Outcome.NotFound);
            Context.Stop(Self);
        });
        Receive<CheckLeaseExpiry>(_ => OnCheck());
        Receive<RenewLease>(OnRenew);
        Receive<QueryTimeToLive>(OnTimeToLive);
    }

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PostStop()
    {
        _timer?.Cancel();
        // Stopped without a revocation (the lease table was replaced): the asker finds out from the lessor again.
        AnswerRenewersAwaitingRevocation(LessorAnswer.Types.Outcome.NotPrimary);
    }

    private void AnswerRenewersAwaitingRevocation(LessorAnswer.Types.Outcome outcome)
    {
        foreach (var renewer in _renewersAwaitingRevocation)
        {
            renewer.Tell(new LessorAnswer { Outcome = outcome, Id = _id }, Self);
        }
        _renewersAwaitingRevocation.Clear();
    }

    private void OnCheck()
    {
        _timer = null;
        if (_expiry is not { } expiry)
        {
            return;
        }
        var left = expiry - Now;
        if (left > TimeSpan.Zero)
        {
            // Renewed since this check was scheduled.
            ScheduleCheck(left);
            return;
        }
        Context.Parent.Tell(new LeaseExpired(_id), Self);
        ScheduleCheck(_expiredRetryInterval);
    }

    private void OnRenew(RenewLease renew)
    {
        if (_expiry is not { } expiry)
        {
            Sender.Tell(new LessorAnswer { Outcome = LessorAnswer.Types.Outcome.NotPrimary, Id = _id }, Self);
            return;
        }
        if (expiry <= Now)
        {
            // Expired and being revoked: a keep-alive cannot bring it back; it is answered once the keys are gone.
            _renewersAwaitingRevocation.Add(Sender);
            return;
        }
        _expiry = Now + TimeSpan.FromSeconds(_ttl);
        Sender.Tell(new LessorAnswer { Id = _id, Ttl = _ttl, GrantedTtl = _ttl }, Self);
    }

    private void OnTimeToLive(QueryTimeToLive query)
    {
        if (_expiry is not { } expiry)
        {
            Sender.Tell(new LessorAnswer { Outcome = LessorAnswer.Types.Outcome.NotPrimary, Id = _id }, Self);
            return;
        }
        // etcd truncates the remaining time to whole seconds.
        var answer = new LessorAnswer { Id = _id, Ttl = (long)(expiry - Now).TotalSeconds, GrantedTtl = _ttl };
        var apply = _apply();
        if (!query.Keys || apply is null)
        {
            Sender.Tell(answer, Self);
            return;
        }
        var asker = Sender;
        var id = _id;
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        apply.Tell(new Query(view =>
        {
            var keys = new LeaseTimeToLiveResponse();
            if (view.Leases.Find(id) is { } lease)
            {
                keys.Keys.AddRange(lease.Keys);
            }
            return keys;
        }, completion), Self);
        completion.Task.ContinueWith(read =>
        {
            if (read.IsCompletedSuccessfully && read.Result is LeaseTimeToLiveResponse withKeys)
            {
                answer.Keys.AddRange(withKeys.Keys);
            }
            asker.Tell(answer, ActorRefs.NoSender);
        }, TaskScheduler.Default);
    }

    private void ScheduleCheck(TimeSpan delay)
    {
        _timer?.Cancel();
        _timer = Context.System.Scheduler.ScheduleTellOnceCancelable(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Self, CheckLeaseExpiry.Instance, Self);
    }
}
