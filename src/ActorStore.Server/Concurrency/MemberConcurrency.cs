using System.Runtime.CompilerServices;
using ActorStore.Protocol.Errors;
using System.Threading.Channels;
using Akka.Actor;
using V3electionpb;
using V3lockpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// etcd's v3lock and v3election services on a member: its <see cref="LockServer"/> and <see cref="ElectionServer"/>
/// actors, which the member starts with its other actors, and the calls the gRPC services make to them. Each pending
/// Lock, Campaign and Observe is a child actor of one of them.
/// </summary>
public sealed class MemberConcurrency
{
    /// <summary>Leaders an observer may send ahead of its caller before it stops reading its watch.</summary>
    private const int ObservedLeadersAhead = 16;

    private readonly IActorRef _locks;
    private readonly IActorRef _elections;
    private readonly CancellationToken _systemEnded;

    /// <summary>Starts the lock and election servers in <paramref name="system"/> (the member's actor system).</summary>
    internal MemberConcurrency(ActorSystem system, ConcurrencyClient client)
    {
        _locks = system.ActorOf(LockServer.Props(client), "lock-server");
        _elections = system.ActorOf(ElectionServer.Props(client), "election-server");
        // Once the actor system is gone a call would reach no actor and never be answered: it fails as etcd's would.
        var ended = new CancellationTokenSource();
        system.WhenTerminated.ContinueWith(_ => ended.Cancel(), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _systemEnded = ended.Token;
    }

    /// <summary>
    /// Waits until the caller holds the lock. Lease 0 binds the key to a new 60 s lease that nobody keeps alive. A call
    /// canceled (or failing) while it waits removes its key, so it does not take the lock later.
    /// </summary>
    public Task<LockResponse> LockAsync(LockRequest request, CancellationToken ct = default) => CallAsync<LockRequest, LockResponse>(_locks, request, ct);

    /// <summary>Deletes the lock key (whether or not it holds the lock) and answers the delete's header.</summary>
    public Task<UnlockResponse> UnlockAsync(UnlockRequest request, CancellationToken ct = default) => CallAsync<UnlockRequest, UnlockResponse>(_locks, request, ct);

    /// <summary>
    /// Waits until the caller leads and answers its leader key. Lease 0 binds the key to a new 60 s lease. A candidate
    /// whose lease already campaigns keeps its place and proclaims the new value. A call canceled while it waits
    /// withdraws its candidacy.
    /// </summary>
    public Task<CampaignResponse> CampaignAsync(CampaignRequest request, CancellationToken ct = default) =>
        CallAsync<CampaignRequest, CampaignResponse>(_elections, request, ct);

    /// <summary>Sets the leader's value, failing with "election: not leader" once its key is gone or re-created.</summary>
    public Task<ProclaimResponse> ProclaimAsync(ProclaimRequest request, CancellationToken ct = default) =>
        CallAsync<ProclaimRequest, ProclaimResponse>(_elections, request, ct);

    /// <summary>The current leader's key-value (the oldest candidate), or "election: no leader".</summary>
    public Task<LeaderResponse> LeaderAsync(LeaderRequest request, CancellationToken ct = default) =>
        CallAsync<LeaderRequest, LeaderResponse>(_elections, request, ct);

    /// <summary>Deletes the leader key if it still has the create revision it won with; answers the header either way.</summary>
    public Task<ResignResponse> ResignAsync(ResignRequest request, CancellationToken ct = default) =>
        CallAsync<ResignRequest, ResignResponse>(_elections, request, ct);

    /// <summary>
    /// The election's leaders as they come and go: the current one (or the first to arrive), each new value it
    /// proclaims, then its successor once its key is deleted. The sequence ends when the underlying read or watch fails,
    /// which etcd reports as a normal end of the stream.
    /// </summary>
    public async IAsyncEnumerable<LeaderResponse> ObserveAsync(LeaderRequest request, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leaders = Channel.CreateBounded<LeaderResponse>(
            new BoundedChannelOptions(ObservedLeadersAhead) { SingleReader = true, SingleWriter = true });
        // The observer stops when this sequence ends, however it ends.
        using var observing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _elections.Tell(new ObserveLeaders(request, observing.Token, leaders.Writer));
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct, _systemEnded);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await leaders.Reader.WaitToReadAsync(reading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested && _systemEnded.IsCancellationRequested)
                {
                    throw EtcdErrors.Stopped;
                }
                if (!more)
                {
                    break;
                }
                while (leaders.Reader.TryRead(out var leader))
                {
                    yield return leader;
                }
            }
        }
        finally
        {
            await observing.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(IActorRef server, TRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var completion = new TaskCompletionSource<TResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopped = _systemEnded.Register(
            static state => ((TaskCompletionSource<TResponse>)state!).TrySetException(EtcdErrors.Stopped), completion);
        server.Tell(new ConcurrencyCall<TRequest, TResponse>(request, ct, completion));
        return await completion.Task.ConfigureAwait(false);
    }
}
