using ActorStore.Server.Log;
using Akka.Actor;
using Akka.Persistence;
using Persistpb;

namespace ActorStore.Server.Membership;

/// <summary>
/// The member's identity (name, ids, peer URLs) in the Akka.Persistence journal, under its own persistence id: written
/// once when the member bootstraps or joins, read before Raft starts. As in etcd, a member that has an identity on
/// disk ignores the initial-cluster flags afterwards.
/// </summary>
public sealed class MemberIdentityJournal
{
    private readonly IActorRef _actor;
    private readonly TaskCompletionSource<MemberIdentityRecord?> _recovered;

    private MemberIdentityJournal(IActorRef actor, TaskCompletionSource<MemberIdentityRecord?> recovered)
    {
        _actor = actor;
        _recovered = recovered;
    }

    /// <summary>Starts the identity's persistent actor; it begins recovering at once.</summary>
    public static MemberIdentityJournal Start(IActorRefFactory actors)
    {
        ArgumentNullException.ThrowIfNull(actors);
        var recovered = new TaskCompletionSource<MemberIdentityRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = actors.ActorOf(ActorFactory.Props(() => new IdentityActor(recovered)), "member-identity");
        return new MemberIdentityJournal(actor, recovered);
    }

    /// <summary>
    /// The identity the member recorded; null for a member that never ran. Throws what made recovery fail (a data dir
    /// that is not ours, an unreachable database).
    /// </summary>
    public async Task<MemberIdentity?> LoadAsync(MemberOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var record = await _recovered.Task.WaitAsync(ct).ConfigureAwait(false);
        return record is null
            ? null
            : new MemberIdentity(record.Name, record.MemberId, record.ClusterId, record.PeerUrls.ToArray(), options.AdvertiseClientUrls);
    }

    /// <summary>Records the identity; completes once it is durable.</summary>
    public Task SaveAsync(MemberIdentity identity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var record = new MemberIdentityRecord { Name = identity.Name, MemberId = identity.MemberId, ClusterId = identity.ClusterId };
        record.PeerUrls.AddRange(identity.PeerUrls);
        var saved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _actor.Tell(new Save(record, saved));
        return saved.Task.WaitAsync(ct);
    }

    private sealed record Save(MemberIdentityRecord Record, TaskCompletionSource Completion);

    private sealed class IdentityActor : ReceivePersistentActor
    {
        private readonly TaskCompletionSource<MemberIdentityRecord?> _recovered;
        private MemberIdentityRecord? _current;
        private TaskCompletionSource? _saving;

        public IdentityActor(TaskCompletionSource<MemberIdentityRecord?> recovered)
        {
            _recovered = recovered;
            Recover<MemberIdentityRecord>(record => _current = record);
            Recover<RecoveryCompleted>(_ => _recovered.TrySetResult(_current));
            Command<Save>(save =>
            {
                _saving = save.Completion;
                Persist(save.Record, record =>
                {
                    _current = record;
                    _saving = null;
                    save.Completion.TrySetResult();
                });
            });
        }

        public override string PersistenceId => LogNames.MemberPersistenceId;

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            _recovered.TrySetException(reason);
            base.OnRecoveryFailure(reason, message);
        }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            _saving?.TrySetException(cause);
            base.OnPersistFailure(cause, @event, sequenceNr);
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        {
            _saving?.TrySetException(cause);
            base.OnPersistRejected(cause, @event, sequenceNr);
        }

        protected override void PostStop()
        {
            _recovered.TrySetException(new InvalidOperationException("the member identity's journal stopped before it was read"));
            _saving?.TrySetException(new InvalidOperationException("the member identity's journal stopped"));
            base.PostStop();
        }
    }
}
