using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// The server side of one Watch call (etcd's serverWatchStream): feed it the client's requests in order with
/// <see cref="Handle"/>, send what <see cref="ReadResponsesAsync"/> yields, and dispose it when the call ends, which
/// stops every watcher the stream created.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    /// <summary>etcd's answer to a create request whose range end is not after its key.</summary>
    public const string EmptyRangeReason = "mvcc: watcher range is empty";

    /// <summary>etcd's answer to a create request naming a watch id the stream already uses.</summary>
    public const string DuplicateIdReason = "mvcc: duplicate watch ID provided on the WatchStream";

    private readonly IActorRef _hub;
    private readonly WatchOutbox _outbox = new();
    // Requests arrive on the call's reader; revocations (Revoke) come from elsewhere, so the ids are locked.
    private readonly HashSet<long> _ids = new();
    private long _nextId;
    private int _disposed;

    internal WatchStream(IActorRef hub) => _hub = hub;

    /// <summary>Handles one request of the client; responses come out of <see cref="ReadResponsesAsync"/>.</summary>
    public void Handle(WatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Volatile.Read(ref _disposed) != 0)
        {
            // A closed stream creates nothing the hub would have to forget again.
            return;
        }
        switch (request.RequestUnionCase)
        {
            case WatchRequest.RequestUnionOneofCase.CreateRequest:
                _ = Create(request.CreateRequest);
                break;
            case WatchRequest.RequestUnionOneofCase.CancelRequest:
                // etcd stays silent about ids it does not know.
                Cancel(request.CancelRequest.WatchId, reason: "");
                break;
            case WatchRequest.RequestUnionOneofCase.ProgressRequest:
                _hub.Tell(new StreamProgressRequested(_outbox));
                break;
        }
    }

    /// <summary>
    /// The server cancels one of the stream's watchers for <paramref name="reason"/> (a permission revoked): the client
    /// gets a canceled response with the reason, as for any cancel. Unknown or already canceled ids are ignored.
    /// </summary>
    public void Revoke(long watchId, string reason)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            Cancel(watchId, reason);
        }
    }

    /// <summary>Answers a create request with a watcher that is created and canceled at once, for <paramref name="reason"/>.</summary>
    public void Refuse(string reason)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _hub.Tell(new RefuseWatcher(_outbox, reason));
        }
    }

    /// <summary>The responses of every watcher of the stream, in the order they are to be sent.</summary>
    public IAsyncEnumerable<WatchResponse> ReadResponsesAsync(CancellationToken ct = default) => _outbox.ReadAllAsync(ct);

    /// <summary>Whether more responses are ready behind the one just read (a sender flushes once for all of them).</summary>
    public bool HasQueuedResponses => _outbox.HasQueued;

    /// <summary>Stops the stream's watchers; the responses end.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _hub.Tell(new CloseWatchStream(_outbox));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Handles a create request as <see cref="Handle"/> does, and says which watch id the new watcher has (null when the
    /// request was refused or the stream is closed).
    /// </summary>
    public long? Create(WatchCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Volatile.Read(ref _disposed) != 0)
        {
            return null;
        }
        var range = WatchKeyRange.FromRequest(request.Key, request.RangeEnd);
        if (range is null)
        {
            _hub.Tell(new RefuseWatcher(_outbox, EmptyRangeReason));
            return null;
        }
        long id;
        lock (_ids)
        {
            if (request.WatchId == 0)
            {
                // 0 asks the server to choose: the lowest id not used yet, counting up from 0.
                while (_ids.Contains(_nextId))
                {
                    _nextId++;
                }
                id = _nextId++;
            }
            else if (_ids.Contains(request.WatchId))
            {
                _hub.Tell(new RefuseWatcher(_outbox, DuplicateIdReason));
                return null;
            }
            else
            {
                id = request.WatchId;
            }
            _ids.Add(id);
        }
        var filters = request.Filters;
        var spec = new WatcherSpec(
            id,
            range,
            request.StartRevision,
            request.PrevKv,
            NoPut: filters.Contains(WatchCreateRequest.Types.FilterType.Noput),
            NoDelete: filters.Contains(WatchCreateRequest.Types.FilterType.Nodelete),
            request.Fragment,
            request.ProgressNotify);
        _hub.Tell(new CreateWatcher(_outbox, spec));
        return id;
    }

    private void Cancel(long watchId, string reason)
    {
        bool known;
        lock (_ids)
        {
            known = _ids.Remove(watchId);
        }
        if (known)
        {
            _hub.Tell(new CancelWatcher(_outbox, watchId, reason));
        }
    }
}
