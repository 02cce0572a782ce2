using Grpc.Net.Client;
using ActorStore.Protocol.Errors;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Raftpb;

namespace ActorStore.Server.Membership;

/// <summary>
/// etcd's cluster requests on a member: the member list is read from the apply actor, changes queue at the member's
/// <see cref="MembershipActor"/>, and once the member serves it publishes its name and client URLs through the log.
/// </summary>
internal sealed class MembershipRequests : IMembershipChangeHost
{
    private readonly EtcdMember _member;
    private readonly MemberOptions _options;
    private readonly RequestIdGenerator _requestIds;
    private readonly IActorRef _apply;
    private readonly IActorRef _raft;
    private readonly ILogger _logger;
    private readonly IActorRef _changes;

    public MembershipRequests(
        EtcdMember member, MemberOptions options, RequestIdGenerator requestIds, IActorRef apply, IActorRef raft, ILogger logger)
    {
        _member = member;
        _options = options;
        _requestIds = requestIds;
        _apply = apply;
        _raft = raft;
        _logger = logger;
        _changes = member.System.ActorOf(ActorFactory.Props(() => new MembershipActor(this, TimeProvider.System)), MembershipActor.Name);
    }

    public ulong LocalMemberId => _member.Identity.MemberId;

    public ulong Leader => _member.Raft.Leader;

    public Task<MemberAddResponse> MemberAddAsync(MemberAddRequest request, CancellationToken ct) =>
        ChangeAsync<MemberAddResponse>(request, ct);

    public Task<MemberRemoveResponse> MemberRemoveAsync(MemberRemoveRequest request, CancellationToken ct) =>
        ChangeAsync<MemberRemoveResponse>(request, ct);

    public Task<MemberUpdateResponse> MemberUpdateAsync(MemberUpdateRequest request, CancellationToken ct) =>
        ChangeAsync<MemberUpdateResponse>(request, ct);

    public Task<MemberPromoteResponse> MemberPromoteAsync(MemberPromoteRequest request, CancellationToken ct) =>
        ChangeAsync<MemberPromoteResponse>(request, ct);

    public Task<MemberListResponse> MemberListAsync(CancellationToken ct)
    {
        _member.RefuseOnLearner();
        return ReadMemberListAsync(ct);
    }

    public Task<MemberListResponse> ReadMemberListAsync(CancellationToken ct) =>
        _member.ReadAsync<MemberListResponse>(view => ApplyActor.MemberList(view.Membership), serializable: true, ct);

    public async Task ProposeMembershipChangeAsync(ConfChange change, CancellationToken ct)
    {
        var id = _requestIds.Next();
        change.Id = id;
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var proposedAt = _member.System.Scheduler.Now;
        var deadline = _member.ProposalDeadlineOf(proposedAt, clientDeadline: null);
        _apply.Tell(new AwaitResult(id, completion));
        _raft.Tell(new ProposeMembershipChange(change, deadline, completion));
        try
        {
            await _member.WaitForProposalAsync(completion.Task, proposedAt, deadline, ct).ConfigureAwait(false);
        }
        catch
        {
            _apply.Tell(new ForgetWaiter(id));
            throw;
        }
    }

    public async Task<RaftStatus> RaftStatusAsync(CancellationToken ct)
    {
        var readiness = new TaskCompletionSource<RaftStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        _raft.Tell(new GetRaftStatus(readiness));
        return await readiness.Task.WaitAsync(_options.RequestTimeout, ct).ConfigureAwait(false);
    }

    public async Task<MemberPromoteResponse> PromoteThroughLeaderAsync(string leaderClientUrl, MemberPromoteRequest request, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(leaderClientUrl);
        var cluster = new Cluster.ClusterClient(channel);
        try
        {
            return await cluster.MemberPromoteAsync(request, deadline: DateTime.UtcNow + _options.RequestTimeout, cancellationToken: ct)
                .ConfigureAwait(false);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Cancelled)
        {
            // The forwarded call's own deadline: etcd answers its timeout here, which clients do not resend.
            throw EtcdErrors.Timeout;
        }
        catch (Grpc.Core.RpcException e)
        {
            // The leader's answer, passed on as the member's own error.
            throw e.ToActorStore();
        }
    }

    /// <summary>
    /// Publishes this member's name and client URLs through the log, as etcd does once it serves, so every member lists
    /// them. Retried until it is applied or the member stops.
    /// </summary>
    public async Task PublishAttributesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var identity = _member.Identity;
            var attributes = global::System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["name"] = identity.Name,
                ["clientURLs"] = identity.ClientUrls,
            });
            try
            {
                if (identity.MemberId != 0)
                {
                    await _member.ProposeAsync<EmptyResponse>(new InternalRaftRequest
                    {
                        V2 = new Etcdserverpb.Request
                        {
                            Method = "PUT",
                            Path = $"/0/members/{MemberIdentity.FormatId(identity.MemberId)}/attributes",
                            Val = attributes,
                        },
                    }, ct).ConfigureAwait(false);
                    _logger.LogInformation("published local member to cluster through raft {local-member-attributes}", attributes);
                    return;
                }
            }
            catch (RpcException)
            {
            }
            await Task.Delay(_options.HeartbeatInterval * 5, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a change at the membership actor; its answer comes when the change before it has finished.</summary>
    private async Task<TResponse> ChangeAsync<TResponse>(IMessage request, CancellationToken ct) where TResponse : IMessage
    {
        _member.RefuseOnLearner();
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _changes.Tell(new ChangeMembership(request, ct, completion));
        return (TResponse)await completion.Task.ConfigureAwait(false);
    }
}
