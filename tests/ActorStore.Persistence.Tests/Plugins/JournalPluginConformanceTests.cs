namespace ActorStore.Persistence.Tests.Plugins;

using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// What every Akka.Persistence journal ActorStore runs on must do, checked through the journal protocol
/// (WriteMessages, ReplayMessages, DeleteMessagesTo) and through persistent actors across ActorSystem restarts.
/// A plugin's tests derive this class and supply its storage.
/// </summary>
public abstract class JournalPluginConformanceTests(ITestOutputHelper output) : PluginTestBase(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private int _instanceId = 1;

    /// <summary>
    /// Akka's AsyncWriteJournal asks for the highest sequence number with a lower bound of the replay's start minus
    /// one; a plugin may answer 0 when nothing is stored at or above it (Akka.Persistence.Sql 1.5.73 does).
    /// Harmless for recovery, which starts at most one past the highest event or snapshot.
    /// </summary>
    protected virtual bool ReportsHighestBelowReplayStart => true;

    /// <summary>Whether the persistent representation's own manifest (set by event adapters) and writer guid are
    /// stored. Akka.Persistence.Sql 1.5.73 keeps only the serializer's manifest and replays its own writer guid.</summary>
    protected virtual bool KeepsManifestAndWriterGuid => true;

    private IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    [Fact]
    public async Task Written_events_replay_in_order()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        var (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);

        AssertEvents(events, pid, 1, 5);
        Assert.Equal(5, highest);
    }

    [Theory]
    [InlineData(1, long.MaxValue, long.MaxValue, 1, 5)]
    [InlineData(2, 4, long.MaxValue, 2, 4)]
    [InlineData(2, long.MaxValue, 2, 2, 3)]
    [InlineData(3, 3, 1, 3, 3)]
    [InlineData(4, 10, long.MaxValue, 4, 5)]
    [InlineData(0, 2, 100, 1, 2)]
    public async Task Replay_honours_from_to_and_max(long from, long to, long max, long first, long last)
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        var (events, highest) = await ReplayAsync(pid, from, to, max);

        AssertEvents(events, pid, first, last);
        Assert.Equal(5, highest);
    }

    [Theory]
    [InlineData(6, long.MaxValue, long.MaxValue)]
    [InlineData(3, 2, long.MaxValue)]
    [InlineData(1, 5, 0)]
    public async Task Replay_outside_the_stored_range_or_with_zero_max_delivers_nothing(long from, long to, long max)
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        var (events, highest) = await ReplayAsync(pid, from, to, max);

        Assert.Empty(events);
        Assert.Equal(from > 5 && !ReportsHighestBelowReplayStart ? 0 : 5, highest);
    }

    [Fact]
    public async Task An_unknown_persistence_id_replays_nothing_with_highest_zero()
    {
        var (events, highest) = await ReplayAsync(NewPid(), 1, long.MaxValue, long.MaxValue);

        Assert.Empty(events);
        Assert.Equal(0, highest);
    }

    [Fact]
    public async Task Persistence_ids_are_independent()
    {
        var a = NewPid();
        var b = NewPid();
        await WriteAsync(a, 1, 3);
        await WriteAsync(b, 1, 7);
        await WriteAsync(a, 4, 4);

        AssertEvents((await ReplayAsync(a, 1, long.MaxValue, long.MaxValue)).Events, a, 1, 4);
        AssertEvents((await ReplayAsync(b, 1, long.MaxValue, long.MaxValue)).Events, b, 1, 7);
    }

    [Fact]
    public async Task Highest_sequence_nr_is_reported_even_when_replay_starts_above_it()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        var (_, highest) = await ReplayAsync(pid, 100, long.MaxValue, long.MaxValue);

        Assert.Equal(ReportsHighestBelowReplayStart ? 5 : 0, highest);
    }

    [Fact]
    public async Task Delete_to_removes_a_prefix_and_keeps_the_rest()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        await DeleteToAsync(pid, 3);

        var (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        AssertEvents(events, pid, 4, 5);
        Assert.Equal(5, highest);
    }

    [Fact]
    public async Task Highest_sequence_nr_survives_deleting_every_event()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 5);

        await DeleteToAsync(pid, 5);

        var (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        Assert.Empty(events);
        Assert.Equal(5, highest);

        // Writing goes on after the deleted prefix.
        await WriteAsync(pid, 6, 7);
        (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        AssertEvents(events, pid, 6, 7);
        Assert.Equal(7, highest);
    }

    [Fact]
    public async Task Delete_to_beyond_the_highest_deletes_everything_and_keeps_the_highest()
    {
        var pid = NewPid();
        await WriteAsync(pid, 1, 3);

        await DeleteToAsync(pid, long.MaxValue);

        var (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        Assert.Empty(events);
        Assert.Equal(3, highest);
    }

    [Fact]
    public async Task An_atomic_write_of_several_events_is_stored_whole()
    {
        var pid = NewPid();
        var probe = Kit.CreateTestProbe();
        var write = new AtomicWrite(ImmutableList.Create<IPersistentRepresentation>(
            Event(pid, 1, probe.Ref),
            Event(pid, 2, probe.Ref),
            Event(pid, 3, probe.Ref)));

        Journal.Tell(new WriteMessages([write], probe.Ref, _instanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>(Timeout);
        for (var n = 1; n <= 3; n++)
        {
            Assert.Equal(n, probe.ExpectMsg<WriteMessageSuccess>(Timeout).Persistent.SequenceNr);
        }

        AssertEvents((await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue)).Events, pid, 1, 3);
    }

    [Fact]
    public async Task An_unserializable_event_is_rejected_and_the_other_writes_succeed()
    {
        var pid = NewPid();
        var probe = Kit.CreateTestProbe();
        var bad = new Persistent(new NotSerializable("test"), 2, pid, string.Empty, false, probe.Ref, "writer-1");
        IPersistentEnvelope[] writes =
        [
            new AtomicWrite(Event(pid, 1, probe.Ref)),
            new AtomicWrite(bad),
            new AtomicWrite(Event(pid, 3, probe.Ref)),
        ];

        Journal.Tell(new WriteMessages(writes, probe.Ref, _instanceId));

        probe.ExpectMsg<WriteMessagesSuccessful>(Timeout);
        Assert.Equal(1, probe.ExpectMsg<WriteMessageSuccess>(Timeout).Persistent.SequenceNr);
        var rejected = probe.ExpectMsg<WriteMessageRejected>(Timeout);
        Assert.Equal(2, rejected.Persistent.SequenceNr);
        Assert.NotNull(rejected.Cause);
        Assert.Equal(3, probe.ExpectMsg<WriteMessageSuccess>(Timeout).Persistent.SequenceNr);

        var (events, highest) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        Assert.Equal([1L, 3L], events.Select(e => e.SequenceNr));
        Assert.Equal(3, highest);
    }

    [Fact]
    public async Task Events_keep_their_manifest_writer_and_structured_payload()
    {
        var pid = NewPid();
        var probe = Kit.CreateTestProbe();
        var payload = new StructuredEvent("key", [1, 2, 3], 42L);
        var write = new AtomicWrite(new Persistent(payload, 1, pid, "event-manifest-v2", false, probe.Ref, "writer-guid-1"));

        Journal.Tell(new WriteMessages([write], probe.Ref, _instanceId));
        probe.ExpectMsg<WriteMessagesSuccessful>(Timeout);
        probe.ExpectMsg<WriteMessageSuccess>(Timeout);

        var (events, _) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        var replayed = Assert.Single(events);
        Assert.Equal(pid, replayed.PersistenceId);
        Assert.Equal(KeepsManifestAndWriterGuid ? "event-manifest-v2" : string.Empty, replayed.Manifest);
        if (KeepsManifestAndWriterGuid)
        {
            Assert.Equal("writer-guid-1", replayed.WriterGuid);
        }

        var structured = Assert.IsType<StructuredEvent>(replayed.Payload);
        Assert.Equal(payload.Key, structured.Key);
        Assert.Equal(payload.Data, structured.Data);
        Assert.Equal(payload.Revision, structured.Revision);
    }

    [Fact]
    public async Task A_persistent_actor_recovers_its_events_after_the_actor_system_restarts()
    {
        var storage = await NewStorageAsync();
        var pid = NewPid();

        var first = StartSystem(storage);
        var writer = first.ActorOf(TestWriter.Props(pid));
        await writer.Ask<TestWriter.Appended>(new TestWriter.Append("a"), Timeout);
        await writer.Ask<TestWriter.Appended>(new TestWriter.AppendAll(["b", "c", "d"]), Timeout);
        var last = await writer.Ask<TestWriter.Appended>(new TestWriter.Append("e"), Timeout);
        Assert.Equal(5, last.SequenceNr);
        await first.Terminate();

        var second = StartSystem(storage);
        var recovered = await second.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);

        Assert.Equal(["a", "b", "c", "d", "e"], recovered.Values);
        Assert.Equal(5, recovered.LastSequenceNr);
    }

    [Fact]
    public async Task Compaction_with_snapshot_and_delete_survives_a_restart()
    {
        var storage = await NewStorageAsync();
        var pid = NewPid();

        var first = StartSystem(storage);
        var writer = first.ActorOf(TestWriter.Props(pid));
        await writer.Ask<TestWriter.Appended>(new TestWriter.AppendAll(["a", "b", "c", "d"]), Timeout);
        Assert.IsType<SaveSnapshotSuccess>(await writer.Ask<object>(new TestWriter.TakeSnapshot(), Timeout));
        Assert.IsType<DeleteMessagesSuccess>(await writer.Ask<object>(new TestWriter.DeleteEventsTo(4), Timeout));
        await writer.Ask<TestWriter.Appended>(new TestWriter.Append("e"), Timeout);
        await first.Terminate();

        var second = StartSystem(storage);
        var recovered = await second.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);

        Assert.Equal(["a", "b", "c", "d", "e"], recovered.Values);
        Assert.Equal(5, recovered.LastSequenceNr);
        Assert.Equal(4, recovered.SnapshotSequenceNr);
    }

    [Fact]
    public async Task After_every_event_is_compacted_away_a_restarted_actor_continues_the_numbering()
    {
        // The Raft member's compaction: snapshot at the last event, delete every event, restart, write on.
        var storage = await NewStorageAsync();
        var pid = NewPid();

        var first = StartSystem(storage);
        var writer = first.ActorOf(TestWriter.Props(pid));
        await writer.Ask<TestWriter.Appended>(new TestWriter.AppendAll(["a", "b", "c"]), Timeout);
        Assert.IsType<SaveSnapshotSuccess>(await writer.Ask<object>(new TestWriter.TakeSnapshot(), Timeout));
        Assert.IsType<DeleteMessagesSuccess>(await writer.Ask<object>(new TestWriter.DeleteEventsTo(3), Timeout));
        await first.Terminate();

        var second = StartSystem(storage);
        writer = second.ActorOf(TestWriter.Props(pid));
        var recovered = await writer.Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);
        Assert.Equal(["a", "b", "c"], recovered.Values);
        Assert.Equal(3, recovered.LastSequenceNr);
        Assert.Equal(4, (await writer.Ask<TestWriter.Appended>(new TestWriter.Append("d"), Timeout)).SequenceNr);
        await second.Terminate();

        var third = StartSystem(storage);
        recovered = await third.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);
        Assert.Equal(["a", "b", "c", "d"], recovered.Values);
    }

    [Fact]
    public async Task Many_persistent_actors_writing_at_once_all_recover()
    {
        var storage = await NewStorageAsync();
        var pids = Enumerable.Range(0, 16).Select(_ => NewPid()).ToArray();

        var first = StartSystem(storage);
        var writers = pids.Select(pid => first.ActorOf(TestWriter.Props(pid))).ToArray();
        var acks = new List<Task<TestWriter.Appended>>();
        for (var i = 1; i <= 40; i++)
        {
            foreach (var writer in writers)
            {
                acks.Add(writer.Ask<TestWriter.Appended>(
                    i % 2 == 0 ? new TestWriter.AppendAsync($"e{i}") : new TestWriter.Append($"e{i}"),
                    Timeout));
            }
        }

        await Task.WhenAll(acks);
        await first.Terminate();

        var second = StartSystem(storage);
        foreach (var pid in pids)
        {
            var recovered = await second.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);
            Assert.Equal(Enumerable.Range(1, 40).Select(i => $"e{i}"), recovered.Values);
        }
    }

    [Fact]
    public async Task A_persistent_actor_sees_its_rejected_event_and_goes_on()
    {
        var pid = NewPid();
        var writer = Sys.ActorOf(Props.Create(() => new RejectingWriter(pid)));

        var reply = await writer.Ask<object>("write", Timeout);

        Assert.Equal("rejected 2, then wrote 3", reply);
        var (events, _) = await ReplayAsync(pid, 1, long.MaxValue, long.MaxValue);
        Assert.Equal(["x", "y"], events.Select(e => e.Payload));
        Assert.Equal([1L, 3L], events.Select(e => e.SequenceNr));
    }

    protected static string NewPid() => "p-" + Guid.NewGuid().ToString("N")[..12];

    private static Persistent Event(string pid, long sequenceNr, IActorRef sender) =>
        new(EventPayload(pid, sequenceNr), sequenceNr, pid, string.Empty, false, sender, "writer-1");

    private static string EventPayload(string pid, long sequenceNr) => $"{pid}-{sequenceNr}";

    private static void AssertEvents(IReadOnlyList<IPersistentRepresentation> events, string pid, long first, long last)
    {
        Assert.Equal(Enumerable.Range((int)first, (int)(last - first + 1)).Select(n => (long)n), events.Select(e => e.SequenceNr));
        Assert.All(events, e =>
        {
            Assert.Equal(pid, e.PersistenceId);
            Assert.Equal(EventPayload(pid, e.SequenceNr), e.Payload);
            Assert.False(e.IsDeleted);
        });
    }

    private async Task WriteAsync(string pid, long from, long to)
    {
        var probe = Kit.CreateTestProbe();
        var writes = new List<IPersistentEnvelope>();
        for (var n = from; n <= to; n++)
        {
            writes.Add(new AtomicWrite(Event(pid, n, probe.Ref)));
        }

        Journal.Tell(new WriteMessages(writes, probe.Ref, _instanceId));
        await probe.ExpectMsgAsync<WriteMessagesSuccessful>(Timeout);
        for (var n = from; n <= to; n++)
        {
            var success = await probe.ExpectMsgAsync<WriteMessageSuccess>(Timeout);
            Assert.Equal(n, success.Persistent.SequenceNr);
            Assert.Equal(_instanceId, success.ActorInstanceId);
        }

        _instanceId++;
    }

    private async Task<(List<IPersistentRepresentation> Events, long Highest)> ReplayAsync(
        string pid, long from, long to, long max)
    {
        var probe = Kit.CreateTestProbe();
        Journal.Tell(new ReplayMessages(from, to, max, pid, probe.Ref));
        var events = new List<IPersistentRepresentation>();
        while (true)
        {
            var message = await probe.ReceiveOneAsync(Timeout);
            switch (message)
            {
                case ReplayedMessage replayed:
                    events.Add(replayed.Persistent);
                    break;
                case RecoverySuccess success:
                    return (events, success.HighestSequenceNr);
                case ReplayMessagesFailure failure:
                    throw new Xunit.Sdk.XunitException($"replay failed: {failure.Cause}");
                default:
                    throw new Xunit.Sdk.XunitException($"unexpected reply to a replay: {message}");
            }
        }
    }

    private async Task DeleteToAsync(string pid, long toSequenceNr)
    {
        var probe = Kit.CreateTestProbe();
        Journal.Tell(new DeleteMessagesTo(pid, toSequenceNr, probe.Ref));
        var reply = await probe.ReceiveOneAsync(Timeout);
        var success = Assert.IsType<DeleteMessagesSuccess>(reply);
        Assert.Equal(toSequenceNr, success.ToSequenceNr);
    }

    /// <summary>Persists an event, one that cannot be serialized, and another; reports what happened.</summary>
    private sealed class RejectingWriter(string pid) : UntypedPersistentActor
    {
        private IActorRef? _replyTo;
        private long _rejected;

        public override string PersistenceId => pid;

        protected override void OnRecover(object message)
        {
        }

        protected override void OnCommand(object message)
        {
            if (message is "write")
            {
                _replyTo = Sender;
                Persist("x", _ => { });
                Persist(new NotSerializable("test"), _ => { });
                Persist("y", _ => _replyTo.Tell($"rejected {_rejected}, then wrote {LastSequenceNr}"));
            }
        }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) => _rejected = sequenceNr;
    }
}
