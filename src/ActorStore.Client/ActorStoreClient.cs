using ActorStore.Client.Remoting;
using ActorStore.Client.Sessions;
using ActorStore.Protocol.Errors;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Etcdserverpb;
using V3electionpb;
using V3lockpb;

namespace ActorStore.Client;

/// <summary>
/// Typed access to the client actor (<see cref="Ref"/>): each method sends one of etcd's requests and returns etcd's
/// response, or throws <see cref="RpcException"/> with the gRPC status and etcd's message.
/// </summary>
public sealed class ActorStoreClient
{
    private readonly TimeSpan _askTimeout;

    /// <summary>Wraps a running client actor.</summary>
    public ActorStoreClient(IActorRef clientActor, ActorStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Ref = clientActor ?? throw new ArgumentNullException(nameof(clientActor));
        // The actor always answers within RequestTimeout; the margin only guards against a stopped actor.
        _askTimeout = options.RequestTimeout + TimeSpan.FromSeconds(5);
    }

    /// <summary>The client actor: Tell or Ask it etcd's requests and <see cref="Watch"/>.</summary>
    public IActorRef Ref { get; }

    /// <summary>The settings a program's own actor system needs (remoting, TLS switch, serializer, failure detection).</summary>
    public static Config Config(ActorStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ClientSystemConfig.Required(options).WithFallback(ClientSystemConfig.RemotingDefaults(options));
    }

    /// <summary>The actor system's setup: <see cref="Config(ActorStoreClientOptions)"/> and the TLS certificate and validator.</summary>
    public static ActorSystemSetup Setup(ActorStoreClientOptions options)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(Config(options)));
        foreach (var extra in ClientSystemConfig.Setups(options))
        {
            setup = setup.And(extra);
        }
        return setup;
    }

    /// <summary>Starts the client actor (named <see cref="ActorStoreClientOptions.ActorName"/>) in a system built with <see cref="Setup"/>.</summary>
    public static ActorStoreClient Start(ActorSystem system, ActorStoreClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        ShutdownGuard.Install(system);
        var tls = MemberEntries.UsesTls(options);
        foreach (var member in options.Members)
        {
            _ = MemberEntries.EntryOf(member, tls); // a malformed address fails here, not in the actor
        }
        var actor = system.ActorOf(ClientActor.Props(options, member => MemberEntries.EntryOf(member, tls)), options.ActorName);
        return new ActorStoreClient(actor, options);
    }

    /// <summary>Reads keys (etcd Range).</summary>
    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken ct = default) => AskAsync<RangeResponse>(request, ct);

    /// <summary>Writes a key (etcd Put).</summary>
    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken ct = default) => AskAsync<PutResponse>(request, ct);

    /// <summary>Deletes keys (etcd DeleteRange).</summary>
    public Task<DeleteRangeResponse> DeleteRangeAsync(DeleteRangeRequest request, CancellationToken ct = default) => AskAsync<DeleteRangeResponse>(request, ct);

    /// <summary>Runs a transaction (etcd Txn).</summary>
    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken ct = default) => AskAsync<TxnResponse>(request, ct);

    /// <summary>Compacts the history (etcd Compact).</summary>
    public Task<CompactionResponse> CompactAsync(CompactionRequest request, CancellationToken ct = default) => AskAsync<CompactionResponse>(request, ct);

    /// <summary>Grants a lease.</summary>
    public Task<LeaseGrantResponse> LeaseGrantAsync(LeaseGrantRequest request, CancellationToken ct = default) => AskAsync<LeaseGrantResponse>(request, ct);

    /// <summary>Revokes a lease.</summary>
    public Task<LeaseRevokeResponse> LeaseRevokeAsync(LeaseRevokeRequest request, CancellationToken ct = default) => AskAsync<LeaseRevokeResponse>(request, ct);

    /// <summary>Renews a lease once.</summary>
    public Task<LeaseKeepAliveResponse> LeaseKeepAliveAsync(LeaseKeepAliveRequest request, CancellationToken ct = default) => AskAsync<LeaseKeepAliveResponse>(request, ct);

    /// <summary>A lease's remaining time (and keys).</summary>
    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(LeaseTimeToLiveRequest request, CancellationToken ct = default) => AskAsync<LeaseTimeToLiveResponse>(request, ct);

    /// <summary>Lists the leases.</summary>
    public Task<LeaseLeasesResponse> LeaseLeasesAsync(LeaseLeasesRequest request, CancellationToken ct = default) => AskAsync<LeaseLeasesResponse>(request, ct);

    /// <summary>Acquires a lock (waits while another holds it).</summary>
    public Task<LockResponse> LockAsync(LockRequest request, CancellationToken ct = default) => AskAsync<LockResponse>(request, ct);

    /// <summary>Releases a lock.</summary>
    public Task<UnlockResponse> UnlockAsync(UnlockRequest request, CancellationToken ct = default) => AskAsync<UnlockResponse>(request, ct);

    /// <summary>Campaigns in an election (waits until elected).</summary>
    public Task<CampaignResponse> CampaignAsync(CampaignRequest request, CancellationToken ct = default) => AskAsync<CampaignResponse>(request, ct);

    /// <summary>Publishes a new value as the elected leader.</summary>
    public Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, CancellationToken ct = default) => AskAsync<ProclaimResponse>(request, ct);

    /// <summary>The election's current leader.</summary>
    public Task<LeaderResponse> LeaderAsync(LeaderRequest request, CancellationToken ct = default) => AskAsync<LeaderResponse>(request, ct);

    /// <summary>Gives up leadership.</summary>
    public Task<ResignResponse> ResignAsync(ResignRequest request, CancellationToken ct = default) => AskAsync<ResignResponse>(request, ct);

    /// <summary>The member's status (etcd Maintenance.Status).</summary>
    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken ct = default) => AskAsync<StatusResponse>(request, ct);

    /// <summary>The cluster's members.</summary>
    public Task<MemberListResponse> MemberListAsync(MemberListRequest request, CancellationToken ct = default) => AskAsync<MemberListResponse>(request, ct);

    /// <summary>Opens a watch whose <see cref="WatchUpdate"/> messages go to <paramref name="subscriber"/>; returns the watch's handle.</summary>
    public async Task<IActorRef> WatchAsync(WatchCreateRequest request, IActorRef subscriber, int credits = 64, CancellationToken ct = default)
    {
        var started = await AskAsync<WatchStarted>(new Watch(request, subscriber, credits), ct).ConfigureAwait(false);
        return started.Watch;
    }

    private async Task<T> AskAsync<T>(object request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await Ref.Ask<object>(request, _askTimeout, ct).ConfigureAwait(false);
        return answer switch
        {
            T response => response,
            Status.Failure { Cause: RpcException error } => throw error,
            Status.Failure failure => throw new RpcException(StatusCode.Unknown, failure.Cause?.Message ?? "actorstore client: request failed"),
            _ => throw new RpcException(StatusCode.Internal, $"actorstore client: unexpected answer {answer.GetType().Name}"),
        };
    }
}
