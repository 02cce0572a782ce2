using ActorStore.Client;
using Akka.Actor;
using Akka.Event;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Watch = ActorStore.Client.Watch;

namespace ConfigWatcher;

/// <summary>
/// Keeps the settings under a prefix in ActorStore: writes the defaults that are missing, reads the prefix, then
/// watches it from the revision read on and turns each event into a <see cref="SettingChanged"/> for the settings actor.
/// </summary>
public sealed class ConfigStoreActor : ReceiveActor, IWithTimers
{
    private readonly ActorStoreClient _store;
    private readonly string _prefix;
    private readonly IReadOnlyDictionary<string, string> _defaults;
    private readonly IActorRef _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ConfigStoreActor(ActorStoreClient store, string prefix, IReadOnlyDictionary<string, string> defaults, IActorRef settings)
    {
        _store = store;
        _prefix = prefix;
        _defaults = defaults;
        _settings = settings;

        Receive<Load>(_ => LoadAsync().PipeTo(Self));
        Receive<RangeResponse>(OnLoaded);
        Receive<WatchStarted>(started => _log.Info("watching {0}* ({1})", _prefix, started.Watch.Path.Name));
        Receive<WatchUpdate>(OnUpdate);
        Receive<Status.Failure>(failure =>
        {
            _log.Warning("ActorStore: {0}; trying again in 2s", failure.Cause.Message);
            Timers.StartSingleTimer(nameof(Load), Load.Instance, TimeSpan.FromSeconds(2));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Self.Tell(Load.Instance);

    /// <summary>Each default is written only where the key does not exist yet (a transaction per key), then the prefix is read.</summary>
    private async Task<RangeResponse> LoadAsync()
    {
        foreach (var (name, value) in _defaults)
        {
            var key = ByteString.CopyFromUtf8(_prefix + name);
            var txn = new TxnRequest();
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(value) } });
            var written = await _store.TxnAsync(txn).ConfigureAwait(false);
            if (written.Succeeded)
            {
                _log.Info("wrote default {0} = {1}", name, value);
            }
        }
        return await _store.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(_prefix), RangeEnd = PrefixEnd(_prefix) }).ConfigureAwait(false);
    }

    private void OnLoaded(RangeResponse range)
    {
        foreach (var kv in range.Kvs)
        {
            _settings.Tell(new SettingChanged(Name(kv), kv.Value.ToStringUtf8(), kv.ModRevision));
        }
        var watch = new WatchCreateRequest { Key = ByteString.CopyFromUtf8(_prefix), RangeEnd = PrefixEnd(_prefix), StartRevision = range.Header.Revision + 1 };
        _store.Ref.Tell(new Watch(watch, Self, Credits: 16));
    }

    private void OnUpdate(WatchUpdate update)
    {
        foreach (var change in update.Response.Events)
        {
            var value = change.Type == Event.Types.EventType.Put ? change.Kv.Value.ToStringUtf8() : null;
            _settings.Tell(new SettingChanged(Name(change.Kv), value, change.Kv.ModRevision));
        }
        update.Watch.Tell(new WatchAck());
        if (update.Response.Canceled)
        {
            // Compacted past what this service saw: read everything again and watch from there.
            _log.Warning("watch canceled ({0}); reloading", update.Response.CancelReason);
            Self.Tell(Load.Instance);
        }
    }

    private string Name(KeyValue kv) => kv.Key.ToStringUtf8()[_prefix.Length..];

    /// <summary>The range end that makes a range "every key with this prefix", as etcdctl --prefix computes it.</summary>
    private static ByteString PrefixEnd(string prefix)
    {
        var end = System.Text.Encoding.UTF8.GetBytes(prefix);
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return ByteString.CopyFrom(end, 0, i + 1);
            }
        }
        return ByteString.CopyFrom(0);
    }

    private sealed record Load
    {
        public static Load Instance { get; } = new();
    }
}
