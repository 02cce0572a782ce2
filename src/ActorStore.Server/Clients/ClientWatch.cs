using ActorStore.Protocol.Errors;
using ActorStore.Server.Auth;
using ActorStore.Server.Watch;
using Akka.Actor;
using Clientpb;
using Etcdserverpb;

namespace ActorStore.Server.Clients;

/// <summary>
/// One watch of a client session: a watch stream of its own with the gRPC Watch service's checks
/// (<see cref="OpenWatchPermissions"/>: the create request is checked first, and the watch is checked again whenever
/// the auth store changes), whose responses go to the client's relay as WatchBatch messages, one per credit. It
/// reads the next response only while it holds a credit, so a relay that falls behind leaves the responses in the
/// stream's outbox, where watchers fall back to history instead of slowing the store's writes.
/// Ends on WatchClose, when the relay stops, or after passing on a canceled response.
/// </summary>
public sealed class ClientWatch : ReceiveActor
{
    private readonly EtcdMember _member;
    private readonly SessionCaller _caller;
    private readonly WatchOpen _open;
    private readonly IActorRef _relay;
    private readonly CancellationTokenSource _ended = new();
    private WatchStream? _stream;
    private IAsyncEnumerator<WatchResponse>? _responses;
    private Task<bool>? _pull;
    private long _credits;

    public ClientWatch(EtcdMember member, SessionCaller caller, WatchOpen open, IActorRef relay)
    {
        _member = member;
        _caller = caller;
        _open = open;
        _relay = relay;
        _credits = open.Credits;
        Receive<Pulled>(OnPulled);
        Receive<PullFailed>(_ => Context.Stop(Self));
        Receive<WatchCredit>(credit =>
        {
            // Credits only add up (saturating): a bad count from the relay takes none away.
            if (credit.Credits > 0)
            {
                _credits = credit.Credits > long.MaxValue - _credits ? long.MaxValue : _credits + credit.Credits;
            }
            PullIfCredited();
        });
        Receive<WatchClose>(_ => Context.Stop(Self));
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_relay), _ => Context.Stop(Self));
    }

    public static Props Props(EtcdMember member, SessionCaller caller, WatchOpen open, IActorRef relay) =>
        Akka.Actor.Props.Create(() => new ClientWatch(member, caller, open, relay));

    protected override void PreStart()
    {
        Context.Watch(_relay);
        var stream = ((MemberWatches)_member.Watches).OpenStream();
        _stream = stream;
        _responses = stream.ReadResponsesAsync(_ended.Token).GetAsyncEnumerator(_ended.Token);
        _ = CreateAsync(stream);
        PullIfCredited();
    }

    /// <summary>Creates the watch, or answers its refusal on the stream (created and canceled, as etcd answers it).</summary>
    private async Task CreateAsync(WatchStream stream)
    {
        try
        {
            // etcd refuses a learner's Watch call before it reads a request.
            _member.RefuseOnLearner();
            var permissions = new OpenWatchPermissions(_member.Auth, stream, () => _caller.ResolveAsync(_ended.Token), _ended.Token);
            await permissions.CreateAsync(_open.Create ?? new WatchCreateRequest()).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            stream.Refuse(e.ToString());
        }
        catch (OperationCanceledException) when (_ended.IsCancellationRequested)
        {
            // The watch ended before it was created.
        }
        catch (Exception e)
        {
            stream.Refuse(new RpcException(StatusCode.Unknown, e.Message).ToString());
        }
    }

    private void PullIfCredited()
    {
        if (_pull is not null || _credits <= 0 || _responses is null)
        {
            return;
        }
        var pull = _responses.MoveNextAsync().AsTask();
        _pull = pull;
        pull.PipeTo(Self, success: more => new Pulled(more), failure: e => new PullFailed(e));
    }

    private void OnPulled(Pulled pulled)
    {
        _pull = null;
        if (!pulled.More)
        {
            // The stream ended: the member is stopping.
            Context.Stop(Self);
            return;
        }
        var response = _responses!.Current;
        _credits--;
        _relay.Tell(new WatchBatch { WatchId = _open.WatchId, Response = response }, Self);
        if (response.Canceled)
        {
            Context.Stop(Self);
            return;
        }
        PullIfCredited();
    }

    protected override void PostStop()
    {
        _ended.Cancel();
        _ = CloseAsync(_pull, _responses, _stream);
    }

    /// <summary>Disposes the reader once its pending read has ended (canceled above), then the stream and its watchers.</summary>
    private static async Task CloseAsync(Task<bool>? pending, IAsyncEnumerator<WatchResponse>? responses, WatchStream? stream)
    {
        if (pending is not null)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Canceled with the watch, or failed: either way the watch is over.
            }
        }
        if (responses is not null)
        {
            await responses.DisposeAsync().ConfigureAwait(false);
        }
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record Pulled(bool More);

    private sealed record PullFailed(Exception Cause);
}
