using ActorStore.Client.Sessions;
using Akka.Actor;
using Akka.Event;
using Clientpb;
using Etcdserverpb;

namespace ActorStore.Client.Watches;

/// <summary>
/// One watch's handle in the program's actor system. It opens the watch on the client's session, passes each of the
/// member's responses to the subscriber within the subscriber's credit window (and grants the member only what that
/// window can take), and when the member's watch or the session is lost opens the watch again after the last revision
/// delivered, dropping what was delivered already: each event reaches the subscriber once, in order.
/// </summary>
internal sealed class WatchRelay : ReceiveActor
{
    // watch_id = relay id, then the open's generation: a batch of an earlier open is recognised and dropped.
    private const int GenerationBits = 20;

    private readonly WatchCreateRequest _create;
    private readonly IActorRef _subscriber;
    private readonly int _window;
    private readonly ulong _relayId;
    private readonly IActorRef _client;
    private readonly Queue<WatchResponse> _undelivered = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private ulong _generation;
    private ulong _watchId;
    private IActorRef? _session;

    // A session to open the watch on once the subscriber has room: a watch opened without credits could not even
    // say "created", and its member watch would stay unknown to grant credits to.
    private IActorRef? _waitingSession;
    private IActorRef? _memberWatch;
    private bool _open;
    private bool _created;
    private long _lastDelivered;
    private int _unacked;
    private long _grantedToMember;

    public WatchRelay(Watch watch, ulong relayId, IActorRef client)
    {
        _create = watch.Request.Clone();
        _subscriber = watch.Subscriber;
        _window = watch.Credits;
        _relayId = relayId;
        _client = client;

        Receive<SessionAvailable>(available =>
        {
            if (!_open || !available.Session.Equals(_session))
            {
                Open(available.Session);
            }
        });
        Receive<WatchBatch>(OnBatch);
        Receive<WatchAck>(ack =>
        {
            _unacked = Math.Max(0, _unacked - Math.Max(0, ack.Count));
            Deliver();
            if (_waitingSession is not null && Room > 0)
            {
                Open(_waitingSession);
            }
            Replenish();
        });
        Receive<CancelWatch>(_ =>
        {
            Close();
            Context.Stop(Self);
        });
        Receive<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_subscriber))
            {
                Close();
                Context.Stop(Self);
            }
            else if (terminated.ActorRef.Equals(_memberWatch))
            {
                _log.Info("ActorStore watch {0} lost its member watch; resuming after revision {1}", _relayId, _lastDelivered);
                _memberWatch = null;
                _open = false;
                _client.Tell(SessionWanted.Instance);
            }
        });
    }

    public static Props Props(Watch watch, ulong relayId, IActorRef client) =>
        Akka.Actor.Props.Create(() => new WatchRelay(watch, relayId, client));

    protected override void PreStart()
    {
        Context.Watch(_subscriber);
        _client.Tell(SessionWanted.Instance);
    }

    /// <summary>How many more updates the subscriber's window can take beyond those delivered or queued.</summary>
    private int Room => _window - _unacked - _undelivered.Count;

    private void Open(IActorRef session)
    {
        _waitingSession = null;
        if (_memberWatch is not null)
        {
            _memberWatch.Tell(new WatchClose { WatchId = _watchId });
            Context.Unwatch(_memberWatch);
            _memberWatch = null;
        }
        _session = session;
        _open = false;
        if (Room <= 0)
        {
            _waitingSession = session;
            return;
        }
        _generation++;
        _watchId = (_relayId << GenerationBits) | (_generation & ((1UL << GenerationBits) - 1));
        _open = true;
        var create = _create.Clone();
        if (_lastDelivered > 0)
        {
            create.StartRevision = _lastDelivered + 1;
        }
        _grantedToMember = Room;
        session.Tell(new WatchOpen { WatchId = _watchId, Create = create, Credits = _grantedToMember }, Self);
    }

    private void OnBatch(WatchBatch batch)
    {
        if (batch.WatchId != _watchId || !_open)
        {
            return;
        }
        if (_memberWatch is null)
        {
            _memberWatch = Sender;
            Context.Watch(_memberWatch);
        }
        else if (!Sender.Equals(_memberWatch))
        {
            return;
        }
        _grantedToMember = Math.Max(0, _grantedToMember - 1);
        if (Accept(batch.Response) is { } fresh)
        {
            _undelivered.Enqueue(fresh);
        }
        Deliver();
        Replenish();
    }

    /// <summary>What of a response the subscriber has not seen yet; null when nothing.</summary>
    private WatchResponse? Accept(WatchResponse response)
    {
        if (response.Canceled)
        {
            return response;
        }
        if (response.Created)
        {
            if (_created)
            {
                return null; // the watch was opened again: the subscriber knows it exists
            }
            _created = true;
            if (_create.StartRevision == 0 && response.Header is not null)
            {
                _lastDelivered = Math.Max(_lastDelivered, response.Header.Revision);
            }
            return response;
        }
        if (response.Events.Count == 0)
        {
            // A progress notification: everything up to its revision has been seen.
            _lastDelivered = Math.Max(_lastDelivered, response.Header?.Revision ?? 0);
            return response;
        }
        var fresh = response.Events.Where(e => e.Kv is null || e.Kv.ModRevision > _lastDelivered).ToList();
        if (fresh.Count == 0)
        {
            return null;
        }
        _lastDelivered = fresh[^1].Kv?.ModRevision ?? _lastDelivered;
        if (fresh.Count == response.Events.Count)
        {
            return response;
        }
        var trimmed = response.Clone();
        trimmed.Events.Clear();
        trimmed.Events.AddRange(fresh);
        return trimmed;
    }

    private void Deliver()
    {
        while (_undelivered.Count > 0 && _unacked < _window)
        {
            var response = _undelivered.Dequeue();
            _unacked++;
            _subscriber.Tell(new WatchUpdate(Self, response));
            if (response.Canceled)
            {
                // The member ended the watch (compaction, permission): as etcd does, the watch is over.
                _log.Warning("ActorStore watch {0} canceled by the member: {1}", _relayId, response.CancelReason);
                _open = false;
                Context.Stop(Self);
                return;
            }
        }
    }

    /// <summary>Grants the member what the subscriber's window can take beyond what is delivered, queued or granted.</summary>
    private void Replenish()
    {
        if (!_open || _memberWatch is null)
        {
            return;
        }
        var free = Room - _grantedToMember;
        if (free > 0)
        {
            _grantedToMember += free;
            _memberWatch.Tell(new WatchCredit { WatchId = _watchId, Credits = free });
        }
    }

    private void Close()
    {
        if (_open)
        {
            (_memberWatch ?? _session)?.Tell(new WatchClose { WatchId = _watchId });
        }
        _open = false;
    }
}
