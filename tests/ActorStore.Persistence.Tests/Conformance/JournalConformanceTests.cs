using System.Text;
using Xunit;

namespace ActorStore.Persistence.Tests.Conformance;

/// <summary>
/// The journal contract every persistence plugin must meet. A plugin's tests derive this class and supply
/// <see cref="CreateTarget"/>.
/// </summary>
public abstract class JournalConformanceTests : IAsyncLifetime
{
    private PersistenceTestTarget? _target;

    protected PersistenceTestTarget Target => _target ?? throw new InvalidOperationException("not initialized");

    public Task InitializeAsync()
    {
        _target = CreateTarget();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    [Fact]
    public async Task Written_entries_replay_in_order_with_their_payloads()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 3)]);
        await journal.WriteAsync([Write("a", 4, 10)]);

        var replayed = await ReplayAsync(journal, "a");

        AssertEntries(replayed, "a", 1, 10);
    }

    [Theory]
    [InlineData(1, long.MaxValue, long.MaxValue, 1, 10)]
    [InlineData(3, 7, long.MaxValue, 3, 7)]
    [InlineData(3, long.MaxValue, 2, 3, 4)]
    [InlineData(0, 5, 100, 1, 5)]
    [InlineData(10, 10, 1, 10, 10)]
    [InlineData(8, 20, long.MaxValue, 8, 10)]
    public async Task Replay_honours_bounds_and_max(long from, long to, long max, long expectedFirst, long expectedLast)
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 10)]);

        var replayed = await ReplayAsync(journal, "a", from, to, max);

        AssertEntries(replayed, "a", expectedFirst, expectedLast);
    }

    [Theory]
    [InlineData(11, long.MaxValue, long.MaxValue)]
    [InlineData(5, 4, long.MaxValue)]
    [InlineData(1, 10, 0)]
    public async Task Replay_outside_the_stored_range_or_with_zero_max_delivers_nothing(long from, long to, long max)
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 10)]);

        Assert.Empty(await ReplayAsync(journal, "a", from, to, max));
        Assert.Empty(await ReplayAsync(journal, "unknown"));
    }

    [Fact]
    public async Task Persistence_ids_are_independent()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 3), Write("b", 1, 5)]);
        await journal.WriteAsync([Write("a", 2, 2)]);

        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 2);
        AssertEntries(await ReplayAsync(journal, "b"), "b", 1, 5);
        Assert.Equal(2, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Equal(5, await journal.ReadHighestSequenceNrAsync("b"));
    }

    [Fact]
    public async Task Highest_sequence_nr_is_zero_when_unknown_and_follows_the_last_write()
    {
        var journal = await Target.OpenJournalAsync();
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Equal(0, await journal.ReadLowestSequenceNrAsync("a"));

        await journal.WriteAsync([Write("a", 1, 7)]);
        Assert.Equal(7, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Equal(1, await journal.ReadLowestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task Writing_from_an_earlier_sequence_nr_replaces_the_conflicting_suffix()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 10)]);

        var replacement = Write("a", 4, 6, tag: "term2");
        await journal.WriteAsync([replacement]);

        var replayed = await ReplayAsync(journal, "a");
        Assert.Equal([1, 2, 3, 4, 5, 6], replayed.Select(e => e.SequenceNr));
        AssertEntries(replayed.Take(3).ToList(), "a", 1, 3);
        Assert.Equal(Payload("a", 4, "term2"), replayed[3].Payload.ToArray());
        Assert.Equal(6, await journal.ReadHighestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task A_batch_becomes_visible_as_a_whole()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync(
        [
            Write("a", 1, 3, state: State(("hard", "t1"))),
            Write("b", 1, 2),
            Write("a", 4, 5),
        ]);

        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 5);
        AssertEntries(await ReplayAsync(journal, "b"), "b", 1, 2);
        Assert.Equal("t1", Text((await journal.ReadStateAsync("a"))["hard"]));
    }

    [Theory]
    [InlineData("gap")]
    [InlineData("descending")]
    [InlineData("foreign-entry")]
    [InlineData("sequence-zero")]
    [InlineData("null-state-value")]
    public async Task A_batch_with_an_invalid_write_fails_and_stores_nothing(string defect)
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 2, state: State(("hard", "before")))]);

        AtomicWrite invalid = defect switch
        {
            "gap" => new AtomicWrite("b", [Entry("b", 1), Entry("b", 3)]),
            "descending" => new AtomicWrite("b", [Entry("b", 2), Entry("b", 1)]),
            "foreign-entry" => new AtomicWrite("b", [Entry("b", 1), Entry("c", 2)]),
            "sequence-zero" => new AtomicWrite("b", [Entry("b", 0)]),
            _ => new AtomicWrite("b", [Entry("b", 1)], new Dictionary<string, byte[]> { ["k"] = null! }),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(() => journal.WriteAsync(
        [
            Write("a", 2, 6, tag: "lost", state: State(("hard", "after"))),
            invalid,
            Write("c", 1, 1),
        ]));

        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 2);
        Assert.Equal(2, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Equal("before", Text((await journal.ReadStateAsync("a"))["hard"]));
        Assert.Empty(await ReplayAsync(journal, "b"));
        Assert.Empty(await ReplayAsync(journal, "c"));
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("c"));

        // The journal stays usable after the failure.
        await journal.WriteAsync([Write("a", 3, 3)]);
        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 3);
    }

    [Fact]
    public async Task State_is_stored_with_entries_and_updated_per_key()
    {
        var journal = await Target.OpenJournalAsync();
        Assert.Empty(await journal.ReadStateAsync("a"));

        await journal.WriteAsync([Write("a", 1, 2, state: State(("hard", "t1"), ("conf", "c1")))]);
        await journal.WriteAsync([new AtomicWrite("a", [], State(("hard", "t2")))]);

        var state = await journal.ReadStateAsync("a");
        Assert.Equal(2, state.Count);
        Assert.Equal("t2", Text(state["hard"]));
        Assert.Equal("c1", Text(state["conf"]));
        Assert.Empty(await journal.ReadStateAsync("b"));
        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 2);
    }

    [Fact]
    public async Task State_only_write_for_a_new_persistence_id_leaves_it_without_entries()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([new AtomicWrite("a", [], State(("hard", "t1")))]);

        Assert.Equal("t1", Text((await journal.ReadStateAsync("a"))["hard"]));
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Empty(await ReplayAsync(journal, "a"));
    }

    [Fact]
    public async Task Payloads_round_trip_byte_for_byte_including_empty_and_sliced_ones()
    {
        var journal = await Target.OpenJournalAsync();
        var backing = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        await journal.WriteAsync(
        [
            new AtomicWrite(
                "a",
                [
                    new JournalEntry("a", 1, ReadOnlyMemory<byte>.Empty),
                    new JournalEntry("a", 2, backing.AsMemory(100, 3000)),
                    new JournalEntry("a", 3, new byte[] { 0, 0xFF, 0 }),
                ]),
        ]);

        var replayed = await ReplayAsync(journal, "a");

        Assert.Equal(3, replayed.Count);
        Assert.Empty(replayed[0].Payload.ToArray());
        Assert.Equal(backing.AsSpan(100, 3000).ToArray(), replayed[1].Payload.ToArray());
        Assert.Equal(new byte[] { 0, 0xFF, 0 }, replayed[2].Payload.ToArray());
    }

    [Fact]
    public async Task DeleteTo_removes_the_prefix_and_keeps_the_highest_sequence_nr()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 10)]);

        await journal.DeleteToAsync("a", 4);
        AssertEntries(await ReplayAsync(journal, "a"), "a", 5, 10);
        Assert.Equal(5, await journal.ReadLowestSequenceNrAsync("a"));
        Assert.Equal(10, await journal.ReadHighestSequenceNrAsync("a"));

        await journal.DeleteToAsync("a", 10);
        Assert.Empty(await ReplayAsync(journal, "a"));
        Assert.Equal(0, await journal.ReadLowestSequenceNrAsync("a"));
        Assert.Equal(10, await journal.ReadHighestSequenceNrAsync("a"));

        await journal.WriteAsync([Write("a", 11, 12)]);
        AssertEntries(await ReplayAsync(journal, "a"), "a", 11, 12);
        await journal.DeleteToAsync("unknown", 5);
    }

    [Fact]
    public async Task Everything_survives_dispose_and_reopen()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 20, state: State(("hard", "t3"))), Write("b", 1, 1)]);
        await journal.DeleteToAsync("a", 5);
        await journal.WriteAsync([Write("b", 1, 2, tag: "new")]);
        await journal.DeleteToAsync("b", 2);
        await journal.DisposeAsync();

        var reopened = await Target.OpenJournalAsync();

        AssertEntries(await ReplayAsync(reopened, "a"), "a", 6, 20);
        Assert.Equal(20, await reopened.ReadHighestSequenceNrAsync("a"));
        Assert.Equal("t3", Text((await reopened.ReadStateAsync("a"))["hard"]));
        Assert.Empty(await ReplayAsync(reopened, "b"));
        Assert.Equal(2, await reopened.ReadHighestSequenceNrAsync("b"));
    }

    [Fact]
    public async Task A_corrupt_last_entry_is_truncated_on_reopen_with_a_warning()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("raft-7", 1, 45), Write("raft-8", 1, 3)]);
        await journal.DisposeAsync();
        await Target.CorruptJournalEntryAsync("raft-7", 45);
        await Target.CorruptJournalEntryAsync("raft-7", 44);

        var reopened = await Target.OpenJournalAsync();

        AssertEntries(await ReplayAsync(reopened, "raft-7"), "raft-7", 1, 43);
        Assert.Equal(43, await reopened.ReadHighestSequenceNrAsync("raft-7"));
        AssertEntries(await ReplayAsync(reopened, "raft-8"), "raft-8", 1, 3);
        var warning = Assert.Single(Target.Logs.Warnings);
        Assert.Contains("raft-7", warning.Message);
        Assert.Contains("44", warning.Message);

        // Raft continues right after the surviving entries.
        await reopened.WriteAsync([Write("raft-7", 44, 44)]);
        AssertEntries(await ReplayAsync(reopened, "raft-7"), "raft-7", 1, 44);
    }

    [Fact]
    public async Task A_corrupt_tail_met_by_a_replay_is_truncated_with_a_warning()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("a", 1, 5)]);
        await Target.CorruptJournalEntryAsync("a", 5);

        var replayed = await ReplayAsync(journal, "a");

        AssertEntries(replayed, "a", 1, 4);
        Assert.Equal(4, await journal.ReadHighestSequenceNrAsync("a"));
        Assert.Single(Target.Logs.Warnings);
        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 4);
    }

    [Fact]
    public async Task A_corrupt_entry_in_the_middle_throws_JournalCorruptedException()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([Write("raft-1", 1, 5)]);
        await journal.DisposeAsync();
        await Target.CorruptJournalEntryAsync("raft-1", 3);

        var reopened = await Target.OpenJournalAsync();
        var delivered = new List<long>();
        var error = await Assert.ThrowsAsync<JournalCorruptedException>(
            () => reopened.ReplayAsync("raft-1", 1, long.MaxValue, long.MaxValue, e => delivered.Add(e.SequenceNr)));

        Assert.Equal("raft-1", error.PersistenceId);
        Assert.Equal(3, error.SequenceNr);
        Assert.Contains("raft-1", error.Message);
        Assert.Contains("3", error.Message);
        Assert.Equal([1, 2], delivered);

        // Nothing was dropped: the intact entries after the damage are still there.
        Assert.Equal(5, await reopened.ReadHighestSequenceNrAsync("raft-1"));
        AssertEntries(await ReplayAsync(reopened, "raft-1", 4), "raft-1", 4, 5);
    }

    [Fact]
    public async Task Concurrent_writers_are_all_durable_and_applied_in_call_order()
    {
        var journal = await Target.OpenJournalAsync();

        // Issued back to back without awaiting: a reordering would make a later write truncate an earlier one.
        var ordered = Enumerable.Range(1, 40).Select(i => journal.WriteAsync([Write("ordered", i, i)])).ToList();
        var parallel = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 1; i <= 10; i++)
            {
                await journal.WriteAsync([Write($"parallel-{w}", i, i)]);
            }
        })).ToList();
        await Task.WhenAll(ordered.Concat(parallel));
        await journal.DisposeAsync();

        var reopened = await Target.OpenJournalAsync();
        AssertEntries(await ReplayAsync(reopened, "ordered"), "ordered", 1, 40);
        for (var w = 0; w < 4; w++)
        {
            AssertEntries(await ReplayAsync(reopened, $"parallel-{w}"), $"parallel-{w}", 1, 10);
        }
    }

    [Fact]
    public async Task An_empty_batch_completes_and_a_cancelled_write_stores_nothing()
    {
        var journal = await Target.OpenJournalAsync();
        await journal.WriteAsync([]);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => journal.WriteAsync([Write("a", 1, 3)], cancelled.Token));

        Assert.Empty(await ReplayAsync(journal, "a"));
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task A_large_batch_is_written_and_replayed_completely()
    {
        var journal = await Target.OpenJournalAsync();
        var writes = Enumerable.Range(0, 20).Select(i => Write("a", (i * 100) + 1, (i + 1) * 100)).ToList();

        await journal.WriteAsync(writes);

        AssertEntries(await ReplayAsync(journal, "a"), "a", 1, 2000);
    }

    protected abstract PersistenceTestTarget CreateTarget();

    protected static byte[] Payload(string persistenceId, long sequenceNr, string tag = "v1") =>
        Encoding.UTF8.GetBytes($"{persistenceId}/{sequenceNr}/{tag}/" + new string('x', (int)(sequenceNr % 50)));

    protected static JournalEntry Entry(string persistenceId, long sequenceNr, string tag = "v1") =>
        new(persistenceId, sequenceNr, Payload(persistenceId, sequenceNr, tag));

    protected static AtomicWrite Write(
        string persistenceId,
        long from,
        long to,
        string tag = "v1",
        IReadOnlyDictionary<string, byte[]>? state = null) =>
        new(persistenceId, [.. LongRange(from, to).Select(n => Entry(persistenceId, n, tag))], state);

    protected static IReadOnlyDictionary<string, byte[]> State(params (string Key, string Value)[] records) =>
        records.ToDictionary(r => r.Key, r => Encoding.UTF8.GetBytes(r.Value));

    protected static string Text(byte[] value) => Encoding.UTF8.GetString(value);

    protected static async Task<List<JournalEntry>> ReplayAsync(
        IJournal journal,
        string persistenceId,
        long from = 1,
        long to = long.MaxValue,
        long max = long.MaxValue)
    {
        var entries = new List<JournalEntry>();
        await journal.ReplayAsync(persistenceId, from, to, max, entries.Add);
        return entries;
    }

    /// <summary>Exactly the entries first..last of the persistence id, in order, with their original payloads.</summary>
    protected static void AssertEntries(IReadOnlyList<JournalEntry> entries, string persistenceId, long first, long last)
    {
        Assert.Equal(LongRange(first, last), entries.Select(e => e.SequenceNr));
        foreach (var entry in entries)
        {
            Assert.Equal(persistenceId, entry.PersistenceId);
            Assert.Equal(Payload(persistenceId, entry.SequenceNr), entry.Payload.ToArray());
        }
    }

    private static IEnumerable<long> LongRange(long from, long to)
    {
        for (var n = from; n <= to; n++)
        {
            yield return n;
        }
    }
}
