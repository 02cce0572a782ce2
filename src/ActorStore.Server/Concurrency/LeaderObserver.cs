using ActorStore.Protocol.Errors;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using V3electionpb;

namespace ActorStore.Server.Concurrency;

/// <summary>
/// One Observe call, a child of the member's <see cref="ElectionServer"/>: it reads the election's leader (or, with
/// none, waits through a watch for the first candidate), follows the leader's key through a watch, sending each value
/// it proclaims, and reads the next leader once the key is deleted. It pulls one watch response at a time and only
/// while the caller keeps up with the leaders already sent. The observation ends, as etcd's, when a read or watch fails
/// or the caller goes away.
/// </summary>
internal sealed class LeaderObserver : ReceiveActor
{
    private readonly ConcurrencyClient _client;
    private readonly ObserveLeaders _observe;
    private readonly ByteString _prefix;
    // Ends the read, watch or send under way when the caller goes away or this observer stops.
    private readonly CancellationTokenSource _observing;
    private readonly Queue<LeaderResponse> _unsent = new();
    private IAsyncEnumerator<WatchResponse>? _watch;
    private Task<bool>? _pull;

    public LeaderObserver(ConcurrencyClient client, ObserveLeaders observe)
    {
        _client = client;
        _observe = observe;
        _prefix = ConcurrencyKeys.PrefixOf(observe.Request.Name);
        _observing = CancellationTokenSource.CreateLinkedTokenSource(observe.Cancellation);
    }

    public static Props Props(ConcurrencyClient client, ObserveLeaders observe) =>
        ActorFactory.Props(() => new LeaderObserver(client, observe));

    protected override void PreStart() => ReadLeader();

    protected override void PostStop()
    {
        _observing.Cancel();
        CloseWatch();
        _observe.Leaders.TryComplete();
        _observing.Dispose();
    }

    private void ReadLeader()
    {
        _client.RangeAsync(ConcurrencyKeys.FirstCreated(_prefix), _observing.Token)
            .PipeTo(Self, success: range => new LeaderRead(range), failure: error => new Ended(error));
        Become(ReadingLeader);
    }

    private void ReadingLeader()
    {
        Receive<LeaderRead>(read =>
        {
            var range = read.Range;
            if (range.Kvs.Count == 0)
            {
                AwaitFirstCandidate(range.Header.Revision);
                return;
            }
            var leader = range.Kvs[0];
            _unsent.Enqueue(new LeaderResponse { Header = range.Header, Kv = leader });
            Send(then: () => Follow(leader.Key, range.Header.Revision + 1));
        });
        Receive<Ended>(ended => End(ended.Error));
    }

    private void AwaitFirstCandidate(long revision)
    {
        OpenWatch(new WatchCreateRequest { Key = _prefix, RangeEnd = ConcurrencyKeys.PrefixEnd(_prefix), StartRevision = revision });
        Become(AwaitingFirstCandidate);
    }

    private void AwaitingFirstCandidate()
    {
        Receive<WatchStepped>(step =>
        {
            if (!step.More || ConcurrencyClient.WatchError(_watch!.Current) is not null)
            {
                End(null);
                return;
            }
            var response = _watch.Current;
            foreach (var change in response.Events)
            {
                // Deletes are skipped: only a put brings a leader.
                if (change.Type == Event.Types.EventType.Put)
                {
                    CloseWatch();
                    // The header carries the candidate's own revision, from which its key is then followed.
                    var header = new ResponseHeader(response.Header) { Revision = change.Kv.ModRevision };
                    _unsent.Enqueue(new LeaderResponse { Header = header, Kv = change.Kv });
                    Send(then: () => Follow(change.Kv.Key, header.Revision + 1));
                    return;
                }
            }
            Pull();
        });
        Receive<Ended>(ended => End(ended.Error));
    }

    private void Follow(ByteString leaderKey, long fromRevision)
    {
        OpenWatch(new WatchCreateRequest { Key = leaderKey, StartRevision = fromRevision });
        Become(Following);
    }

    private void Following()
    {
        Receive<WatchStepped>(step =>
        {
            if (!step.More)
            {
                End(null);
                return;
            }
            var response = _watch!.Current;
            foreach (var change in response.Events)
            {
                if (change.Type == Event.Types.EventType.Delete)
                {
                    // The leader is gone: the values it proclaimed before go out first, then its successor.
                    CloseWatch();
                    Send(then: ReadLeader);
                    return;
                }
                _unsent.Enqueue(new LeaderResponse { Header = response.Header, Kv = change.Kv });
            }
            Send(then: Pull);
        });
        Receive<Ended>(ended => End(ended.Error));
    }

    /// <summary>Hands the unsent leaders to the caller, waiting for room if it is behind, then goes on with <paramref name="then"/>.</summary>
    private void Send(Action then)
    {
        while (_unsent.TryPeek(out var leader) && _observe.Leaders.TryWrite(leader))
        {
            _unsent.Dequeue();
        }
        if (_unsent.Count == 0)
        {
            then();
            return;
        }
        _observe.Leaders.WaitToWriteAsync(_observing.Token).AsTask()
            .PipeTo(Self, success: open => open ? RoomToSend.Instance : new Ended(null), failure: error => new Ended(error));
        Become(() =>
        {
            Receive<RoomToSend>(_ => Send(then));
            Receive<Ended>(ended => End(ended.Error));
        });
    }

    private void OpenWatch(WatchCreateRequest request)
    {
        _watch = _client.WatchAsync(request, _observing.Token).GetAsyncEnumerator(_observing.Token);
        Pull();
    }

    private void Pull()
    {
        _pull = _watch!.MoveNextAsync().AsTask();
        _pull.PipeTo(Self, success: more => new WatchStepped(more), failure: error => new Ended(error));
    }

    /// <summary>Ends the current watch; a pull still under way is let finish first, as an enumerator requires.</summary>
    private void CloseWatch()
    {
        if (_watch is { } watch)
        {
            _ = DisposeWatchAsync(watch, _pull);
        }
        _watch = null;
        _pull = null;
    }

    private static async Task DisposeWatchAsync(IAsyncEnumerator<WatchResponse> watch, Task<bool>? pull)
    {
        try
        {
            if (pull is not null)
            {
                await pull.ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Its failure already ended the observation.
        }
        try
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing is left to tell: the watcher is gone either way.
        }
    }

    /// <summary>
    /// Completes the caller's leaders: a failed read or watch (an etcd error) or the caller going away ends them as a
    /// normal end of the stream, as etcd's; anything else reaches the caller.
    /// </summary>
    private void End(Exception? error)
    {
        _observe.Leaders.TryComplete(error is null or RpcException or OperationCanceledException ? null : error);
        Context.Stop(Self);
    }

    private sealed record LeaderRead(RangeResponse Range);

    private sealed record WatchStepped(bool More);

    private sealed record RoomToSend
    {
        public static readonly RoomToSend Instance = new();
    }

    private sealed record Ended(Exception? Error);
}
