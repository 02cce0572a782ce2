using Akka.Actor;
using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Lease;

/// <summary>
/// The member's lessor: one <see cref="LeaseActor"/> per lease the state machine holds. On the leader (once it has
/// applied its term's first entry) it is the primary: its lease actors keep time, take keep-alives, and expired leases
/// are revoked through the log, so every member agrees on when a lease ended. When the member stops being leader the
/// leases stop expiring here; the next leader's lessor extends every lease by an election timeout, as etcd's does.
/// </summary>
public sealed class LessorActor : ReceiveActor
{
    /// <summary>
    /// etcd revokes at most 1000 expired leases a second, so that a pile of leases expiring together (after a leader
    /// change, say) does not flood the log; the rest wait for the next tick.
    /// </summary>
    public const int RevokesPerTick = 500;

    private readonly Dictionary<long, IActorRef> _leases = new();
    private readonly RaftStateBoard _board;
    private readonly TimeSpan _leaderExtension;
    private readonly TimeSpan _leadershipCheckInterval;
    private readonly TimeSpan _expiredRetryInterval;
    private readonly ILogger _log;
    private IActorRef? _apply;
    private Func<long, Task>? _revoke;
    private readonly Queue<long> _expiredWaiting = new();
    private readonly HashSet<long> _expiredQueued = new();
    private ICancelable? _ticker;
    private int _revokesThisTick;
    private bool _primary;
    private ulong _primaryTerm;

    public LessorActor(RaftStateBoard board, TimeSpan leaderExtension, TimeSpan leadershipCheckInterval, TimeSpan expiredRetryInterval, ILogger log)
    {
        _board = board;
        _leaderExtension = leaderExtension;
        _leadershipCheckInterval = leadershipCheckInterval;
        _expiredRetryInterval = expiredRetryInterval;
        _log = log;

        Receive<LessorWiring>(wiring =>
        {
            _apply = wiring.Apply;
            _revoke = wiring.Revoke;
        });
        Receive<LeasesReset>(OnReset);
        Receive<LeaseGranted>(granted =>
        {
            var lease = Start(granted.Id, granted.Ttl);
            if (_primary)
            {
                lease.Tell(new PromoteLease(TimeSpan.Zero), Self);
            }
        });
        Receive<LeaseRevoked>(revoked =>
        {
            if (_leases.Remove(revoked.Id, out var lease))
            {
                lease.Tell(LeaseRevocationApplied.Instance, Self);
            }
        });
        Receive<LeaderEntryApplied>(applied =>
        {
            var state = _board.Current;
            if (state.Role == RaftRole.Leader && state.Term == applied.Term && (!_primary || _primaryTerm != applied.Term))
            {
                Promote(applied.Term);
            }
        });
        Receive<CheckLeadership>(_ =>
        {
            _revokesThisTick = 0;
            RevokeWaiting();
            var state = _board.Current;
            if (_primary && (state.Role != RaftRole.Leader || state.Term != _primaryTerm))
            {
                Demote();
            }
        });
        Receive<LeaseExpired>(OnExpired);
        Receive<RouteWhenApplied>(OnRouteWhenApplied);
        Receive<RenewLease>(renew => Route(renew.Id, renew));
        Receive<QueryTimeToLive>(query => Route(query.Id, query));
        Receive<ListLeases>(_ => Sender.Tell(new LeaseIds(_leases.Keys.Order().ToArray()), Self));
    }

    protected override void PreStart() =>
        _ticker = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(_leadershipCheckInterval, _leadershipCheckInterval, Self, CheckLeadership.Instance, Self);

    protected override void PostStop() => _ticker?.Cancel();

    private void OnReset(LeasesReset reset)
    {
        foreach (var id in _leases.Keys.ToArray())
        {
            Stop(id);
        }
        foreach (var (id, ttl) in reset.Leases)
        {
            var lease = Start(id, ttl);
            if (_primary)
            {
                lease.Tell(new PromoteLease(_leaderExtension), Self);
            }
        }
    }

    private IActorRef Start(long id, long ttl)
    {
        Stop(id);
        var lease = Context.ActorOf(ActorFactory.Props(() => new LeaseActor(id, ttl, _expiredRetryInterval, () => _apply)), null);
        _leases[id] = lease;
        return lease;
    }

    private void Stop(long id)
    {
        if (_leases.Remove(id, out var lease))
        {
            Context.Stop(lease);
        }
    }

    private void Promote(ulong term)
    {
        _primary = true;
        _primaryTerm = term;
        var promote = new PromoteLease(_leaderExtension);
        foreach (var lease in _leases.Values)
        {
            lease.Tell(promote, Self);
        }
        _log.LogInformation("lessor took over {lease-count} leases at term {term}", _leases.Count, term);
    }

    private void Demote()
    {
        _primary = false;
        foreach (var lease in _leases.Values)
        {
            lease.Tell(DemoteLease.Instance, Self);
        }
        _log.LogInformation("lessor handed over its leases: no longer leader");
    }

    private void Route(long id, object message)
    {
        if (!_primary)
        {
            Sender.Tell(new LessorAnswer { Outcome = LessorAnswer.Types.Outcome.NotPrimary, Id = id }, Self);
        }
        else if (_leases.TryGetValue(id, out var lease))
        {
            lease.Tell(message, Sender);
        }
        else if (_apply is not null)
        {
            // Unknown here may only mean not applied yet: like etcd's leader, answer once everything committed is applied.
            var retry = new RouteWhenApplied(id, message, Sender);
            var self = Self;
            var applied = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _apply.Tell(new QueryAt(_board.Current.CommitIndex, new Query(_ => new LeaseLeasesResponse(), applied)), Self);
            applied.Task.ContinueWith(_ => self.Tell(retry, self), TaskScheduler.Default);
        }
        else
        {
            Sender.Tell(new LessorAnswer { Outcome = LessorAnswer.Types.Outcome.NotFound, Id = id }, Self);
        }
    }

    private void OnRouteWhenApplied(RouteWhenApplied retry)
    {
        if (_primary && _leases.TryGetValue(retry.Id, out var lease))
        {
            lease.Tell(retry.Message, retry.Asker);
        }
        else
        {
            retry.Asker.Tell(new LessorAnswer
            {
                Outcome = _primary ? LessorAnswer.Types.Outcome.NotFound : LessorAnswer.Types.Outcome.NotPrimary,
                Id = retry.Id,
            }, Self);
        }
    }

    private void OnExpired(LeaseExpired expired)
    {
        if (_expiredQueued.Add(expired.Id))
        {
            _expiredWaiting.Enqueue(expired.Id);
        }
        RevokeWaiting();
    }

    private void RevokeWaiting()
    {
        while (_revokesThisTick < RevokesPerTick && _expiredWaiting.TryDequeue(out var id))
        {
            _expiredQueued.Remove(id);
            if (_primary && _revoke is not null && _leases.ContainsKey(id))
            {
                _revokesThisTick++;
                Revoke(id);
            }
        }
    }

    private void Revoke(long id)
    {
        var log = _log;
        // A failed revocation is tried again when the lease actor reports the lease still expired.
        _revoke!(id).ContinueWith(
            revoked =>
            {
                if (revoked.Exception?.GetBaseException() is { } error && error.Message != EtcdErrors.LeaseNotFound.Message)
                {
                    log.LogWarning(error, "failed to revoke expired lease {lease-id}", id.ToString("x"));
                }
            },
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
