using ActorStore.Client.Wire;
using ActorStore.Protocol.Errors;
using Akka.Actor;
using Clientpb;
using Microsoft.Extensions.Logging;
using Case = Clientpb.ClientRequest.RequestOneofCase;

namespace ActorStore.Server.Clients;

/// <summary>
/// One client's session on this member (a child of <see cref="ClientEntry"/>): serves its requests concurrently,
/// each as the gRPC service for it would (same member call, same auth checks, the client's timeout as the call's
/// deadline), and opens a <see cref="ClientWatch"/> per watch. It ends with the client actor that opened it, or on
/// CloseSession; its requests in flight are canceled and its watches stop with it.
/// </summary>
public sealed class ClientSession : ReceiveActor
{
    private readonly EtcdMember _member;
    private readonly SessionCaller _caller;
    private readonly IActorRef _client;
    private readonly string _clientName;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _ended = new();
    private long _watches;

    public ClientSession(EtcdMember member, SessionCaller caller, IActorRef client, string clientName, ILogger logger)
    {
        _member = member;
        _caller = caller;
        _client = client;
        _clientName = clientName;
        _logger = logger;
        Receive<ClientRequest>(request => _ = AnswerAsync(request, Sender, Self));
        Receive<WatchOpen>(open => Context.ActorOf(ClientWatch.Props(member, caller, open, Sender), $"watch-{++_watches}"));
        Receive<CloseSession>(_ => Context.Stop(Self));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_client), _ => Context.Stop(Self));
    }

    public static Props Props(EtcdMember member, SessionCaller caller, IActorRef client, string clientName, ILogger logger) =>
        Akka.Actor.Props.Create(() => new ClientSession(member, caller, client, clientName, logger));

    protected override void PreStart() => Context.Watch(_client);

    /// <summary>A watch that fails stops; the session and its other watches go on.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Decider.From(Directive.Stop));

    protected override void PostStop()
    {
        _ended.Cancel();
        _logger.LogDebug("client session {session} of {client-name} at {client-address} closed", Self.Path.Name, _clientName, _client.Path.Address);
    }

    /// <summary>Answers one request, in parts when the answer is larger than one Akka.Remote frame takes.</summary>
    /// <remarks>Runs off the actor after its first await: the session's ref is passed in, not read from the context.</remarks>
    private async Task AnswerAsync(ClientRequest request, IActorRef client, IActorRef session) =>
        ResponseParts.Send(await ServeAsync(request).ConfigureAwait(false), client, session);

    /// <summary>Answers one request; never fails (a failure is its ClientError).</summary>
    private async Task<ClientResponse> ServeAsync(ClientRequest request)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(_ended.Token);
        DateTime? deadline = null;
        if (request.TimeoutMs > 0)
        {
            var timeout = TimeSpan.FromMilliseconds(request.TimeoutMs);
            deadline = DateTime.UtcNow + timeout;
            call.CancelAfter(timeout);
        }
        ClientResponse response;
        try
        {
            try
            {
                response = await CallAsync(request, call.Token, deadline).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.Message == EtcdErrors.AuthOldRevision.Message && IsRefusedBeforeProposal(request.RequestCase))
            {
                // The auth store moved on between resolving the caller and checking it, outside the log: ask again.
                response = await CallAsync(request, call.Token, deadline).ConfigureAwait(false);
            }
        }
        catch (RpcException e)
        {
            response = Failure((int)e.Status, e.Message);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested && !_ended.IsCancellationRequested)
        {
            // What a gRPC client reads when its deadline passes first.
            response = Failure((int)StatusCode.DeadlineExceeded, "context deadline exceeded");
        }
        catch (Exception e)
        {
            response = Failure((int)StatusCode.Unknown, e.Message);
        }
        response.Id = request.Id;
        return response;
    }

    private static ClientResponse Failure(int code, string message) => new() { Error = new ClientError { Code = code, Message = message } };

    /// <summary>
    /// Requests whose "revision of auth store is old" can only come from a check made outside the log (a read, or the
    /// check before a lock or election call): asking again proposes nothing twice. Writes are checked when their
    /// entry applies, so they are not asked again.
    /// </summary>
    private static bool IsRefusedBeforeProposal(Case request) =>
        request is Case.Range or Case.Lock or Case.Unlock or Case.Campaign or Case.Proclaim or Case.Leader or Case.Resign;

    /// <summary>The member call the gRPC service for the request makes, with the caller where that service resolves one.</summary>
    private async Task<ClientResponse> CallAsync(ClientRequest request, CancellationToken ct, DateTime? deadline)
    {
        var member = _member;
        Func<Task<Auth.AuthInfo?>> caller = () => _caller.ResolveAsync(ct);
        return request.RequestCase switch
        {
            Case.Range => new ClientResponse { Range = await member.RangeAsync(request.Range, ct, await caller().ConfigureAwait(false)).ConfigureAwait(false) },
            Case.Put => new ClientResponse { Put = await member.PutAsync(request.Put, ct, deadline, await caller().ConfigureAwait(false)).ConfigureAwait(false) },
            Case.DeleteRange => new ClientResponse
            {
                DeleteRange = await member.DeleteRangeAsync(request.DeleteRange, ct, deadline, await caller().ConfigureAwait(false)).ConfigureAwait(false),
            },
            Case.Txn => new ClientResponse { Txn = await member.TxnAsync(request.Txn, ct, deadline, await caller().ConfigureAwait(false)).ConfigureAwait(false) },
            Case.Compact => new ClientResponse
            {
                Compact = await member.CompactAsync(request.Compact, ct, deadline, await caller().ConfigureAwait(false)).ConfigureAwait(false),
            },
            Case.LeaseGrant => new ClientResponse { LeaseGrant = await member.LeaseGrantAsync(request.LeaseGrant, ct, deadline).ConfigureAwait(false) },
            Case.LeaseRevoke => new ClientResponse
            {
                LeaseRevoke = await member.LeaseRevokeAsync(request.LeaseRevoke, ct, deadline, await caller().ConfigureAwait(false)).ConfigureAwait(false),
            },
            Case.LeaseKeepAlive => new ClientResponse { LeaseKeepAlive = await member.LeaseRenewAsync(request.LeaseKeepAlive.ID, ct).ConfigureAwait(false) },
            Case.LeaseTimeToLive => new ClientResponse { LeaseTimeToLive = await member.LeaseTimeToLiveAsync(request.LeaseTimeToLive, ct).ConfigureAwait(false) },
            Case.LeaseLeases => new ClientResponse { LeaseLeases = await member.LeaseLeasesAsync(ct).ConfigureAwait(false) },
            Case.Lock => new ClientResponse { Lock = await member.CheckedConcurrency.LockAsync(request.Lock, caller, ct).ConfigureAwait(false) },
            Case.Unlock => new ClientResponse { Unlock = await member.CheckedConcurrency.UnlockAsync(request.Unlock, caller, ct).ConfigureAwait(false) },
            Case.Campaign => new ClientResponse { Campaign = await member.CheckedConcurrency.CampaignAsync(request.Campaign, caller, ct).ConfigureAwait(false) },
            Case.Proclaim => new ClientResponse { Proclaim = await member.CheckedConcurrency.ProclaimAsync(request.Proclaim, caller, ct).ConfigureAwait(false) },
            Case.Leader => new ClientResponse { Leader = await member.CheckedConcurrency.LeaderAsync(request.Leader, caller, ct).ConfigureAwait(false) },
            Case.Resign => new ClientResponse { Resign = await member.CheckedConcurrency.ResignAsync(request.Resign, caller, ct).ConfigureAwait(false) },
            Case.Status => new ClientResponse { Status = await member.StatusAsync(ct).ConfigureAwait(false) },
            Case.MemberList => new ClientResponse { MemberList = await member.MemberListAsync(ct).ConfigureAwait(false) },
            _ => throw new RpcException(StatusCode.InvalidArgument, "actorstore: the request names no call"),
        };
    }
}
