using ActorStore.Protocol.Errors;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Raftpb;

namespace ActorStore.Server.Membership;

/// <summary>
/// The member's membership changes (add, remove, update, promote), one at a time: a change runs from its check of the
/// member list to the list after it applied while the next ones wait in the stash. Raft takes one change at a time,
/// and two changes checked against the same list would both pass their checks. The member list itself stays the apply
/// actor's; a change reads it and proposes through the log.
/// </summary>
public sealed class MembershipActor : ReceiveActor, IWithUnboundedStash
{
    public const string Name = "membership";

    /// <summary>A learner may be promoted once it has 90% of the leader's log, as etcd requires.</summary>
    private const double LearnerReadyFraction = 0.9;

    private readonly IMembershipChangeHost _member;
    private readonly TimeProvider _clock;

    /// <param name="member">The member the changes run on.</param>
    /// <param name="clock">Mixed into an added member's id as etcd mixes in the time, so that re-adding its peer URLs gives a new id.</param>
    public MembershipActor(IMembershipChangeHost member, TimeProvider clock)
    {
        _member = member;
        _clock = clock;
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    private void Idle() => Receive<ChangeMembership>(Start);

    private void Busy()
    {
        Receive<ChangeMembership>(_ => Stash.Stash());
        Receive<ChangeFinished>(_ =>
        {
            Stash.UnstashAll();
            Become(Idle);
        });
    }

    private void Start(ChangeMembership change)
    {
        // A caller that gave up while its change waited is answered without the change being proposed.
        if (change.Cancellation.IsCancellationRequested)
        {
            change.Completion.TrySetCanceled(change.Cancellation);
            return;
        }
        Become(Busy);
        _ = RunAsync(change, Self);
    }

    /// <summary>Runs one change off the actor's thread of control and tells the actor when the caller has its answer.</summary>
    private async Task RunAsync(ChangeMembership change, IActorRef self)
    {
        try
        {
            change.Completion.TrySetResult(await ChangeAsync(change.Request, change.Cancellation).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            // The exception itself, cancellations included, so that callers see what they saw before changes queued.
            change.Completion.TrySetException(e);
        }
        finally
        {
            self.Tell(ChangeFinished.Instance);
        }
    }

    /// <summary>Changes still waiting when the member stops are answered as etcd answers requests to a stopped server.</summary>
    protected override void PostStop()
    {
        foreach (var waiting in Stash.ClearStash())
        {
            if (waiting.Message is ChangeMembership change)
            {
                change.Completion.TrySetException(EtcdErrors.Stopped);
            }
        }
        base.PostStop();
    }

    private Task<IMessage> ChangeAsync(IMessage request, CancellationToken ct) => request switch
    {
        MemberAddRequest add => AddAsync(add, ct),
        MemberRemoveRequest remove => RemoveAsync(remove, ct),
        MemberUpdateRequest update => UpdateAsync(update, ct),
        MemberPromoteRequest promote => PromoteAsync(promote, ct),
        _ => throw new ArgumentException($"{request.GetType().Name} is not a membership change", nameof(request)),
    };

    private async Task<IMessage> AddAsync(MemberAddRequest request, CancellationToken ct)
    {
        var urls = ValidPeerUrls(request.PeerURLs);
        var id = MemberIdentity.ComputeMemberId(urls, "", _clock.GetUtcNow());
        var member = new ClusterMember(id, "", urls, [], request.IsLearner);
        await _member.ProposeMembershipChangeAsync(new ConfChange
        {
            Type = request.IsLearner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode,
            NodeId = id,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(member)),
        }, ct).ConfigureAwait(false);
        var after = await _member.ReadMemberListAsync(ct).ConfigureAwait(false);
        var response = new MemberAddResponse { Header = after.Header, Member = after.Members.First(m => m.ID == id) };
        response.Members.AddRange(after.Members);
        return response;
    }

    private async Task<IMessage> RemoveAsync(MemberRemoveRequest request, CancellationToken ct)
    {
        await _member.ProposeMembershipChangeAsync(
            new ConfChange { Type = ConfChangeType.ConfChangeRemoveNode, NodeId = request.ID }, ct).ConfigureAwait(false);
        var after = await _member.ReadMemberListAsync(ct).ConfigureAwait(false);
        var response = new MemberRemoveResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    private async Task<IMessage> UpdateAsync(MemberUpdateRequest request, CancellationToken ct)
    {
        var urls = ValidPeerUrls(request.PeerURLs);
        await _member.ProposeMembershipChangeAsync(new ConfChange
        {
            Type = ConfChangeType.ConfChangeUpdateNode,
            NodeId = request.ID,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(new ClusterMember(request.ID, "", urls, [], false))),
        }, ct).ConfigureAwait(false);
        var after = await _member.ReadMemberListAsync(ct).ConfigureAwait(false);
        var response = new MemberUpdateResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    /// <summary>
    /// Promotes a learner to voter. Only the leader knows how far the learner got, so a follower hands the request to
    /// the leader's client URL, as etcd forwards it over its peer API; the leader refuses while the learner lags.
    /// </summary>
    private async Task<IMessage> PromoteAsync(MemberPromoteRequest request, CancellationToken ct)
    {
        var leader = _member.Leader;
        if (leader == 0)
        {
            throw EtcdErrors.NoLeader;
        }
        var members = await _member.ReadMemberListAsync(ct).ConfigureAwait(false);
        var learner = members.Members.FirstOrDefault(m => m.ID == request.ID) ?? throw EtcdErrors.MemberNotFound;
        if (!learner.IsLearner)
        {
            throw EtcdErrors.MemberNotLearner;
        }
        if (leader != _member.LocalMemberId)
        {
            var leaderUrl = members.Members.FirstOrDefault(m => m.ID == leader)?.ClientURLs.FirstOrDefault() ?? throw EtcdErrors.NoLeader;
            return await _member.PromoteThroughLeaderAsync(leaderUrl, request, ct).ConfigureAwait(false);
        }
        var status = await _member.RaftStatusAsync(ct).ConfigureAwait(false);
        if (status.Progress.TryGetValue(request.ID, out var progress)
            && status.Progress.TryGetValue(_member.LocalMemberId, out var own)
            && progress.Match < own.Match * LearnerReadyFraction)
        {
            throw EtcdErrors.LearnerNotReady;
        }
        await _member.ProposeMembershipChangeAsync(new ConfChange
        {
            Type = ConfChangeType.ConfChangeAddNode,
            NodeId = request.ID,
            Context = ByteString.CopyFrom(ClusterMembership.EncodeContext(
                new ClusterMember(request.ID, learner.Name, learner.PeerURLs.ToArray(), learner.ClientURLs.ToArray(), false))),
        }, ct).ConfigureAwait(false);
        var after = await _member.ReadMemberListAsync(ct).ConfigureAwait(false);
        var response = new MemberPromoteResponse { Header = after.Header };
        response.Members.AddRange(after.Members);
        return response;
    }

    private static string[] ValidPeerUrls(IEnumerable<string> urls)
    {
        var valid = urls.ToArray();
        if (valid.Length == 0 || valid.Any(url =>
                !Uri.TryCreate(url, UriKind.Absolute, out var parsed)
                || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
                || parsed.IsDefaultPort && !url.Contains(':', StringComparison.Ordinal)
                || parsed.AbsolutePath != "/"))
        {
            throw EtcdErrors.MemberBadURLs;
        }
        return valid;
    }

    /// <summary>The change that was running has been answered; the next one may start.</summary>
    private sealed record ChangeFinished
    {
        public static readonly ChangeFinished Instance = new();
    }
}
