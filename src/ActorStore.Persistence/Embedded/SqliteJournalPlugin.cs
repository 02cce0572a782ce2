namespace ActorStore.Persistence.Embedded;

using System.Collections.Immutable;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Persistence;
using Akka.Persistence.Journal;

/// <summary>
/// The embedded Akka.Persistence journal: events of all persistent actors in one SQLite database,
/// &lt;data-dir&gt;/member/journal.db (WAL, synchronous=FULL, a CRC-32C per row, torn tails cut at open).
/// Each WriteMessages call is one durable append; calls that queue up while a commit is under way share the next
/// transaction and fsync. Configured by the HOCON section named in akka.persistence.journal.plugin
/// (see <see cref="EmbeddedPersistence"/>).
/// </summary>
public sealed class SqliteJournalPlugin : AsyncWriteJournal
{
    private readonly JournalStore _store;
    private readonly AkkaPayloads _payloads;

    public SqliteJournalPlugin(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var log = Context.GetLogger();
        var dataDir = EmbeddedPersistence.ReadDataDir(config);
        _payloads = new AkkaPayloads((ExtendedActorSystem)Context.System);
        _store = new JournalStore(
            dataDir,
            config.GetInt("max-writes-per-transaction", EmbeddedPersistence.DefaultMaxWritesPerTransaction),
            line => log.Warning(line));
        _store.Opened.ContinueWith(
            t => log.Error(t.Exception!.GetBaseException(), "the journal in data dir {0} cannot be opened", dataDir),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

        EmbeddedPersistence.CloseWhenSystemEnds(Context.System, "actorstore-sqlite-journal-close", _store);
    }

    public override async Task ReplayMessagesAsync(
        IActorContext context,
        string persistenceId,
        long fromSequenceNr,
        long toSequenceNr,
        long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        await _store.ReplayAsync(
            persistenceId,
            fromSequenceNr,
            toSequenceNr,
            max,
            record => recoveryCallback(new Persistent(
                _payloads.Deserialize(record.Payload, record.SerializerId, record.SerializerManifest),
                record.SequenceNr,
                persistenceId,
                record.EventManifest,
                isDeleted: false,
                ActorRefs.NoSender,
                record.WriterUuid,
                record.TimestampTicks))).ConfigureAwait(false);
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        _store.ReadHighestSequenceNrAsync(persistenceId);

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(
        IEnumerable<AtomicWrite> messages,
        CancellationToken cancellationToken)
    {
        // Serialized here, before the first await, so the writer queue sees calls in the order they were made.
        var writes = messages as IReadOnlyList<AtomicWrite> ?? [.. messages];
        var results = new Exception?[writes.Count];
        var events = new List<EventRecord>();
        var now = DateTime.UtcNow.Ticks;
        for (var i = 0; i < writes.Count; i++)
        {
            try
            {
                var serialized = ((IEnumerable<IPersistentRepresentation>)writes[i].Payload).Select(p => ToRecord(p, now)).ToList();
                events.AddRange(serialized);
            }
            catch (Exception e)
            {
                // Akka's contract: a write whose events cannot be serialized is rejected; the others still go in.
                results[i] = e;
            }
        }

        if (events.Count > 0)
        {
            await _store.AppendAsync(events).ConfigureAwait(false);
        }

        return [.. results];
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        _store.DeleteToAsync(persistenceId, toSequenceNr);

    protected override void PostStop()
    {
        _ = _store.DisposeAsync().AsTask();
        base.PostStop();
    }

    private EventRecord ToRecord(IPersistentRepresentation p, long now)
    {
        // Tags serve only Akka.Persistence.Query, which this journal does not offer: the event is stored untagged.
        var payload = p.Payload is Tagged tagged ? tagged.Payload : p.Payload;
        var (serializerId, manifest, bytes) = _payloads.Serialize(payload);
        return new EventRecord(
            p.PersistenceId,
            p.SequenceNr,
            now,
            p.WriterGuid ?? string.Empty,
            p.Manifest ?? string.Empty,
            serializerId,
            manifest,
            bytes);
    }
}
