using Akka.Actor;
using ActorStore.Mvcc;
using ActorStore.Server.Metrics;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Mvccpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// Knows every watcher of the member (its children) and the key range each one watches, and forwards every change set
/// the apply actor commits to the watchers it touches, in commit order. A watcher created here is live from the last
/// forwarded revision on and reads anything older from history itself; after a <see cref="StoreReset"/> every
/// watcher resyncs from history, since the revision may have jumped.
/// </summary>
public sealed class WatchHub : ReceiveActor
{
    private readonly ILogger _log;
    private readonly Dictionary<ByteString, List<Registration>> _singleKeyWatchers = new();
    private readonly List<Registration> _rangeWatchers = new();
    private readonly Dictionary<WatchOutbox, Dictionary<long, Registration>> _streams = new();
    private readonly Dictionary<IActorRef, Registration> _byActor = new();
    private readonly List<Registration> _matched = new();
    private readonly List<object> _beforeReset = new();
    private WatchSettings? _settings;
    private long _lastRevision;
    private bool _reset;
    private readonly MemberMetrics? _metrics;

    /// <param name="metrics">Where the number of watchers is shown (etcd_debugging_mvcc_watcher_total).</param>
    public WatchHub(ILogger log, MemberMetrics? metrics = null)
    {
        _log = log;
        _metrics = metrics;
        Receive<MvccChangeSet>(Forward);
        Receive<StoreReset>(OnReset);
        Receive<WatchHubSetup>(setup => _settings = setup.Settings);
        Receive<CreateWatcher>(WhenReset);
        Receive<RefuseWatcher>(WhenReset);
        Receive<CancelWatcher>(WhenReset);
        Receive<StreamProgressRequested>(WhenReset);
        Receive<CloseWatchStream>(WhenReset);
        Receive<ProgressProbe>(_ => Sender.Tell(new HubProgress(_lastRevision), Self));
        Receive<Terminated>(terminated =>
        {
            if (_byActor.TryGetValue(terminated.ActorRef, out var registration))
            {
                Unregister(registration);
            }
        });
    }

    protected override void PostStop()
    {
        // Readers of the streams end instead of waiting for responses that will not come.
        foreach (var outbox in _streams.Keys)
        {
            outbox.Complete();
        }
    }

    private WatchSettings Settings =>
        _settings ?? throw new InvalidOperationException("The watch hub got a watcher request before its setup.");

    /// <summary>Until the apply actor told the store's revision, watchers cannot know where live delivery starts.</summary>
    private void WhenReset(object message)
    {
        if (_reset)
        {
            Handle(message);
        }
        else
        {
            _beforeReset.Add(message);
        }
    }

    private void Handle(object message)
    {
        switch (message)
        {
            case CreateWatcher create:
                Create(create);
                break;
            case RefuseWatcher refuse:
                Refuse(refuse);
                break;
            case CancelWatcher cancel:
                Cancel(cancel);
                break;
            case StreamProgressRequested request:
                ReportProgress(request);
                break;
            case CloseWatchStream close:
                Close(close.Outbox);
                break;
        }
    }

    private void OnReset(StoreReset reset)
    {
        _lastRevision = reset.CurrentRevision;
        foreach (var registration in _byActor.Values)
        {
            registration.Actor.Tell(new ResyncFrom(reset.CurrentRevision), Self);
        }
        if (!_reset)
        {
            _reset = true;
            foreach (var pending in _beforeReset)
            {
                Handle(pending);
            }
            _beforeReset.Clear();
            _log.LogDebug("watch hub live from revision {revision}", reset.CurrentRevision);
        }
    }

    private void Create(CreateWatcher create)
    {
        var settings = Settings;
        var spec = create.Spec;
        // The created response goes out before the watcher exists, so it precedes the watcher's events and
        // created responses keep the order of the create requests (clients match them in that order).
        create.Outbox.Write(new WatchResponse { Header = settings.Header(_lastRevision), WatchId = spec.WatchId, Created = true });
        var hubRevision = _lastRevision;
        var outbox = create.Outbox;
        var lifecycle = new WatcherLifecycle();
        var actor = Context.ActorOf(ActorFactory.Props(() => new Watcher(spec, outbox, settings, hubRevision, lifecycle, _metrics?.SlowWatchers)));
        Context.Watch(actor);
        var registration = new Registration(actor, spec, outbox, lifecycle);
        _byActor.Add(actor, registration);
        _metrics?.Watchers.Set(_byActor.Count);
        if (!_streams.TryGetValue(outbox, out var ofStream))
        {
            _streams.Add(outbox, ofStream = new Dictionary<long, Registration>());
        }
        ofStream[spec.WatchId] = registration;
        if (spec.Range.IsSingleKey)
        {
            if (!_singleKeyWatchers.TryGetValue(spec.Range.Key, out var onKey))
            {
                _singleKeyWatchers.Add(spec.Range.Key, onKey = new List<Registration>());
            }
            onKey.Add(registration);
        }
        else
        {
            _rangeWatchers.Add(registration);
        }
    }

    private void Refuse(RefuseWatcher refuse)
    {
        TrackStream(refuse.Outbox);
        refuse.Outbox.Write(new WatchResponse
        {
            Header = Settings.Header(_lastRevision),
            WatchId = -1,
            Created = true,
            Canceled = true,
            CancelReason = refuse.Reason,
        });
    }

    private void Cancel(CancelWatcher cancel)
    {
        if (_streams.TryGetValue(cancel.Outbox, out var ofStream) && ofStream.TryGetValue(cancel.WatchId, out var registration))
        {
            Unregister(registration);
            if (registration.Lifecycle.TryBeginCancel())
            {
                // The watcher answers itself, after whatever it already sent.
                registration.Actor.Tell(new CancelRequested(_lastRevision, cancel.Reason), Self);
                return;
            }
            Context.Stop(registration.Actor);
        }
        // Ended by compaction: etcd still confirms the cancel.
        cancel.Outbox.Write(new WatchResponse
        {
            Header = Settings.Header(_lastRevision), WatchId = cancel.WatchId, Canceled = true, CancelReason = cancel.Reason,
        });
    }

    /// <summary>etcd 3.4 answers a progress request at once, for no watcher in particular (watch id -1).</summary>
    private void ReportProgress(StreamProgressRequested request)
    {
        TrackStream(request.Outbox);
        request.Outbox.Write(new WatchResponse { Header = Settings.Header(_lastRevision), WatchId = -1 });
    }

    private void Close(WatchOutbox outbox)
    {
        if (_streams.Remove(outbox, out var ofStream))
        {
            foreach (var registration in ofStream.Values.ToArray())
            {
                Unregister(registration);
                Context.Stop(registration.Actor);
            }
        }
        outbox.Complete();
    }

    private void TrackStream(WatchOutbox outbox)
    {
        if (!_streams.ContainsKey(outbox))
        {
            _streams.Add(outbox, new Dictionary<long, Registration>());
        }
    }

    private void Unregister(Registration registration)
    {
        if (!_byActor.Remove(registration.Actor))
        {
            return;
        }
        _metrics?.Watchers.Set(_byActor.Count);
        Context.Unwatch(registration.Actor);
        if (_streams.TryGetValue(registration.Outbox, out var ofStream)
            && ofStream.TryGetValue(registration.Spec.WatchId, out var current) && current == registration)
        {
            ofStream.Remove(registration.Spec.WatchId);
        }
        var range = registration.Spec.Range;
        if (range.IsSingleKey)
        {
            if (_singleKeyWatchers.TryGetValue(range.Key, out var onKey))
            {
                onKey.Remove(registration);
                if (onKey.Count == 0)
                {
                    _singleKeyWatchers.Remove(range.Key);
                }
            }
        }
        else
        {
            _rangeWatchers.Remove(registration);
        }
    }

    private void Forward(MvccChangeSet changes)
    {
        _lastRevision = changes.Revision;
        if (_byActor.Count == 0 || changes.Count == 0)
        {
            return;
        }
        var events = changes.Events;
        if (events.Count == 1)
        {
            ForwardOne(changes.Revision, events[0]);
        }
        else
        {
            ForwardMany(changes.Revision, events);
        }
    }

    /// <summary>The common case, one change: every matching watcher gets the same message.</summary>
    private void ForwardOne(long revision, Event evt)
    {
        _matched.Clear();
        CollectMatches(evt.Kv.Key, _matched);
        if (_matched.Count == 0)
        {
            return;
        }
        var header = Settings.Header(revision);
        LiveChanges? withPrevious = null;
        LiveChanges? withoutPrevious = null;
        foreach (var registration in _matched)
        {
            var message = registration.Spec.PrevKv
                ? withPrevious ??= new LiveChanges(revision, header, [evt])
                : withoutPrevious ??= new LiveChanges(revision, header, [WithoutPrevious(evt)]);
            registration.Actor.Tell(message, Self);
        }
        _matched.Clear();
    }

    private void ForwardMany(long revision, IReadOnlyList<Event> events)
    {
        Dictionary<Registration, List<Event>>? perWatcher = null;
        foreach (var evt in events)
        {
            _matched.Clear();
            CollectMatches(evt.Kv.Key, _matched);
            foreach (var registration in _matched)
            {
                perWatcher ??= new Dictionary<Registration, List<Event>>();
                if (!perWatcher.TryGetValue(registration, out var list))
                {
                    perWatcher.Add(registration, list = new List<Event>());
                }
                list.Add(registration.Spec.PrevKv ? evt : WithoutPrevious(evt));
            }
        }
        _matched.Clear();
        if (perWatcher is null)
        {
            return;
        }
        var header = Settings.Header(revision);
        foreach (var (registration, list) in perWatcher)
        {
            registration.Actor.Tell(new LiveChanges(revision, header, list), Self);
        }
    }

    private void CollectMatches(ByteString key, List<Registration> into)
    {
        if (_singleKeyWatchers.TryGetValue(key, out var onKey))
        {
            into.AddRange(onKey);
        }
        var span = key.Span;
        foreach (var registration in _rangeWatchers)
        {
            if (registration.Spec.Range.Contains(span))
            {
                into.Add(registration);
            }
        }
    }

    /// <summary>The event as a watcher without prev_kv sees it; shares the key-value, which nobody modifies.</summary>
    private static Event WithoutPrevious(Event evt) =>
        evt.PrevKv is null ? evt : new Event { Type = evt.Type, Kv = evt.Kv };

    /// <summary>A watcher as the hub knows it; compared by identity.</summary>
    private sealed class Registration(IActorRef actor, WatcherSpec spec, WatchOutbox outbox, WatcherLifecycle lifecycle)
    {
        public WatcherLifecycle Lifecycle { get; } = lifecycle;

        public IActorRef Actor { get; } = actor;

        public WatcherSpec Spec { get; } = spec;

        public WatchOutbox Outbox { get; } = outbox;
    }
}
