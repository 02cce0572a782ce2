using Akka.Actor;
using ActorStore.Server.Apply;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// One watcher of a stream, a child of the hub. It delivers the events of its range in revision order, each exactly
/// once, the events of one revision always in one response. Revisions before the hub's live feed come from history,
/// read in chunks from the apply actor; while the stream's outbox is full or history is being read, live change sets
/// wait in a bounded buffer, and when that overflows they are dropped and read from history later instead.
/// </summary>
internal sealed class Watcher : ReceiveActor
{
    private readonly WatcherSpec _spec;
    private readonly WatchOutbox _outbox;
    private readonly WatchSettings _settings;
    private readonly Queue<LiveChanges> _buffer = new();
    private ICancelable? _progressTimer;

    /// <summary>The first revision not delivered yet; nothing below it is ever sent again.</summary>
    private long _next;

    /// <summary>Every change set of the range from this revision on is in the buffer or still coming from the hub.</summary>
    private long _liveFrom;

    private bool _reading;
    private bool _ended;
    private int _generation;
    private bool _waitingForRoom;
    private bool _eventsSinceProgressTick;

    private readonly WatcherLifecycle _lifecycle;

    /// <summary>etcd's slow (unsynced) watchers: this watcher counts there while it is behind the live feed.</summary>
    private readonly Prometheus.Gauge? _slowWatchers;
    private bool _countedSlow;

    public Watcher(WatcherSpec spec, WatchOutbox outbox, WatchSettings settings, long hubRevision, WatcherLifecycle lifecycle,
        Prometheus.Gauge? slowWatchers = null)
    {
        _lifecycle = lifecycle;
        _slowWatchers = slowWatchers;
        _spec = spec;
        _outbox = outbox;
        _settings = settings;
        _liveFrom = hubRevision + 1;
        _next = spec.StartRevision > 0 ? spec.StartRevision : hubRevision + 1;

        Receive<CancelRequested>(cancel =>
        {
            _outbox.Write(new WatchResponse
            {
                Header = _settings.Header(cancel.HeaderRevision), WatchId = _spec.WatchId, Canceled = true, CancelReason = cancel.Reason,
            });
            Context.Stop(Self);
        });
        // Ended by compaction, the watcher only waits for the client's cancel that is already on its way.
        Receive<object>(_ => _ended, _ => { });
        Receive<LiveChanges>(OnLive);
        Receive<HistoryRead>(OnHistory);
        Receive<HistoryReadFailed>(failed => { if (failed.Generation == _generation) Context.Stop(Self); });
        Receive<ResyncFrom>(OnResync);
        Receive<OutboxHasRoom>(_ =>
        {
            _waitingForRoom = false;
            Pump();
        });
        Receive<ProgressTick>(_ => OnProgressTick());
        Receive<HubProgress>(OnHubProgress);
    }

    /// <summary>Caught up: nothing to read from history, nothing buffered.</summary>
    private bool Synced => !_reading && _next >= _liveFrom && _buffer.Count == 0;

    protected override void PreStart()
    {
        if (_spec.ProgressNotify && _settings.ProgressNotifyInterval > TimeSpan.Zero)
        {
            var interval = _settings.ProgressNotifyInterval < WatchSettings.MinProgressNotifyInterval
                ? WatchSettings.MinProgressNotifyInterval
                : _settings.ProgressNotifyInterval;
            // Some jitter keeps watchers created together from reporting together, as etcd does.
            var jitter = TimeSpan.FromTicks(Random.Shared.NextInt64(Math.Max(1, interval.Ticks / 10)));
            _progressTimer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(interval + jitter, interval + jitter, Self, ProgressTick.Instance, Self);
        }
        Pump();
    }

    protected override void PostStop()
    {
        _progressTimer?.Cancel();
        if (_countedSlow)
        {
            _slowWatchers?.Dec();
        }
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        if (_slowWatchers is not null && _countedSlow == Synced)
        {
            // Behind (reading history, or holding changes the stream has no room for) or caught up again.
            _countedSlow = !Synced;
            if (_countedSlow)
            {
                _slowWatchers.Inc();
            }
            else
            {
                _slowWatchers.Dec();
            }
        }
        return handled;
    }

    private void OnLive(LiveChanges live)
    {
        if (live.Revision < _next)
        {
            return;
        }
        if (_buffer.Count == 0 && _next >= _liveFrom && !_reading && _outbox.HasRoom)
        {
            Deliver(live);
            return;
        }
        _buffer.Enqueue(live);
        if (_buffer.Count > _settings.MaxBufferedChanges)
        {
            // Too far behind to keep everything in memory: history will cover it.
            _buffer.Clear();
            _liveFrom = live.Revision + 1;
        }
        Pump();
    }

    private void OnResync(ResyncFrom resync)
    {
        _generation++;
        _reading = false;
        _buffer.Clear();
        _liveFrom = resync.Revision + 1;
        Pump();
    }

    /// <summary>Moves on as far as the outbox and history allow.</summary>
    private void Pump()
    {
        while (true)
        {
            if (!_outbox.HasRoom)
            {
                if (!_waitingForRoom)
                {
                    _waitingForRoom = true;
                    _outbox.NotifyWhenRoom(Self);
                }
                return;
            }
            if (_next < _liveFrom)
            {
                if (!_reading)
                {
                    ReadHistory();
                }
                return;
            }
            if (!_buffer.TryDequeue(out var live))
            {
                return;
            }
            if (live.Revision >= _next)
            {
                Deliver(live);
            }
        }
    }

    private void Deliver(LiveChanges live)
    {
        _next = live.Revision + 1;
        var response = new WatchResponse { Header = live.Header, WatchId = _spec.WatchId };
        if (_spec.HasFilters)
        {
            foreach (var evt in live.Events)
            {
                if (_spec.Passes(evt))
                {
                    response.Events.Add(evt);
                }
            }
            if (response.Events.Count == 0)
            {
                return;
            }
        }
        else
        {
            response.Events.AddRange(live.Events);
        }
        Send(response);
    }

    private void ReadHistory()
    {
        _reading = true;
        var from = _next;
        var to = Math.Min(_liveFrom - 1, from + _settings.HistoryChunkRevisions - 1);
        var generation = _generation;
        var spec = _spec;
        var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _settings.Apply.Tell(new Query(view => ReadEvents(view, spec, from, to), completion), Self);
        _ = completion.Task.PipeTo(Self, Self,
            success: result => new HistoryRead(generation, to, (WatchResponse)result),
            failure: cause => new HistoryReadFailed(generation, cause));
    }

    /// <summary>Runs on the apply actor: only the arguments, never the watcher's fields.</summary>
    private static WatchResponse ReadEvents(ApplyView view, WatcherSpec spec, long from, long to)
    {
        var store = view.Store;
        if (from < store.CompactRevision)
        {
            return new WatchResponse { CompactRevision = store.CompactRevision };
        }
        var response = new WatchResponse { Header = new ResponseHeader { Revision = store.CurrentRevision } };
        foreach (var evt in store.ReadEvents(from, to, spec.PrevKv))
        {
            if (spec.Range.Contains(evt.Kv.Key.Span) && spec.Passes(evt))
            {
                response.Events.Add(evt);
            }
        }
        return response;
    }

    private void OnHistory(HistoryRead read)
    {
        if (read.Generation != _generation)
        {
            return;
        }
        _reading = false;
        var result = read.Result;
        if (result.CompactRevision != 0)
        {
            // etcd answers a compacted start revision with the compaction revision and cancels the watcher; the
            // header carries no revision.
            _outbox.Write(new WatchResponse
            {
                Header = _settings.Header(0),
                WatchId = _spec.WatchId,
                CompactRevision = result.CompactRevision,
                Canceled = true,
            });
            _ended = true;
            if (_lifecycle.TryEnd())
            {
                Context.Stop(Self);
            }
            return;
        }
        _next = read.To + 1;
        if (result.Events.Count > 0)
        {
            result.WatchId = _spec.WatchId;
            result.Header = _settings.Header(result.Header.Revision);
            Send(result);
        }
        Pump();
    }

    private void Send(WatchResponse response)
    {
        _eventsSinceProgressTick = true;
        if (_spec.Fragment && WatchFragments.Split(response, _settings.MaxResponseBytes) is { } fragments)
        {
            _outbox.WriteAll(fragments);
        }
        else
        {
            _outbox.Write(response);
        }
    }

    private void OnProgressTick()
    {
        // Like etcd, a watcher that got events since the last tick skips one notification.
        if (_eventsSinceProgressTick)
        {
            _eventsSinceProgressTick = false;
            return;
        }
        Context.Parent.Tell(ProgressProbe.Instance, Self);
    }

    private void OnHubProgress(HubProgress progress)
    {
        // Only a synced watcher reports: everything of its range up to the hub's revision has gone out.
        if (Synced)
        {
            _outbox.Write(new WatchResponse { Header = _settings.Header(progress.Revision), WatchId = _spec.WatchId });
        }
    }
}
