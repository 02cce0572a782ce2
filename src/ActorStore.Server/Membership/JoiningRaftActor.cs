using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Peers;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Raftpb;

namespace ActorStore.Server.Membership;

/// <summary>
/// Stands at the Raft actor's path for a member started with --initial-cluster-state existing: such a member cannot
/// know its id (the cluster chose it at MemberAdd) nor the cluster's. The leader's first message names both: its
/// To field is this member's id, and the peer gate took the cluster id from the leader's envelope. Once they are
/// durable the Raft member starts with an empty log (the leader's snapshot brings the state) and everything is
/// forwarded to it.
/// </summary>
public sealed class JoiningRaftActor : ReceiveActor
{
    private readonly Func<ulong, RaftJournal, Props> _member;
    private readonly Func<ulong, RaftJournal> _raftJournal;
    private readonly PeerIdentity _peerIdentity;
    private readonly MemberIdentityJournal _identityJournal;
    private readonly MemberOptions _options;
    private readonly Action<MemberIdentity> _learned;
    private readonly ILogger _log;
    private IActorRef? _raft;

    public JoiningRaftActor(
        Func<ulong, RaftJournal, Props> member, Func<ulong, RaftJournal> raftJournal, PeerIdentity peerIdentity, MemberIdentityJournal identityJournal,
        MemberOptions options, Action<MemberIdentity> learned, ILogger log)
    {
        _member = member;
        _raftJournal = raftJournal;
        _peerIdentity = peerIdentity;
        _identityJournal = identityJournal;
        _options = options;
        _learned = learned;
        _log = log;

        ReceiveAsync<Message>(OnFirstMessage, _ => _raft is null);
        // Whoever watches this actor learns that the Raft member stopped.
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_raft), _ => Context.Stop(Self));
        ReceiveAny(Forward);
    }

    private async Task OnFirstMessage(Message message)
    {
        var sender = Sender;
        var identity = new MemberIdentity(
            _options.Name, message.To, _peerIdentity.ClusterId, _options.InitialAdvertisePeerUrls, _options.AdvertiseClientUrls);
        // Raft state first, identity last: a member with an identity on disk restarts as a member, never joins twice.
        // The awaits resume in the actor (no ConfigureAwait(false)): it creates its child afterwards.
        var journal = _raftJournal(identity.MemberId);
        await journal.PersistAsync(null, [], new HardState());
        await _identityJournal.SaveAsync(identity, CancellationToken.None);
        _peerIdentity.SetMemberId(identity.MemberId);
        _learned(identity);
        _log.LogInformation("joined cluster {cluster-id} as member {local-member-id}",
            MemberIdentity.FormatId(identity.ClusterId), MemberIdentity.FormatId(identity.MemberId));
        _raft = Context.ActorOf(_member(identity.MemberId, journal), "member");
        Context.Watch(_raft);
        _raft.Tell(message, sender);
    }

    private void Forward(object message)
    {
        if (_raft is not null)
        {
            _raft.Tell(message, Sender);
            return;
        }
        // Nothing can be proposed or read before the member knows who it is.
        switch (message)
        {
            case ProposeEntry proposal:
                proposal.Completion.TrySetException(EtcdErrors.NoLeader);
                break;
            case ProposeMembershipChange change:
                change.Completion.TrySetException(EtcdErrors.NoLeader);
                break;
            case ReadIndexRequest read:
                read.Completion.TrySetException(EtcdErrors.NoLeader);
                break;
            case GetRaftStatus status:
                status.Completion.TrySetException(EtcdErrors.NoLeader);
                break;
        }
    }
}
