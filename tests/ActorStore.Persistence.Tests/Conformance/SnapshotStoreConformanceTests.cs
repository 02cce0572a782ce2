using Xunit;

namespace ActorStore.Persistence.Tests.Conformance;

/// <summary>The snapshot-store contract every persistence plugin must meet.</summary>
public abstract class SnapshotStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

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
    public async Task Load_returns_the_latest_snapshot_with_its_metadata_and_data()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);
        await SaveAsync(store, "a", 30, T0.AddMinutes(2));
        await SaveAsync(store, "a", 20, T0.AddMinutes(1));

        var latest = await store.LoadAsync("a", SnapshotSelectionCriteria.Latest);

        Assert.NotNull(latest);
        Assert.Equal(new SnapshotMetadata("a", 30, T0.AddMinutes(2)), latest.Metadata);
        Assert.Equal(Data("a", 30), latest.Data);
    }

    [Fact]
    public async Task Load_of_an_unknown_persistence_id_returns_null()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);

        Assert.Null(await store.LoadAsync("b", SnapshotSelectionCriteria.Latest));
    }

    [Theory]
    [InlineData(25, null, 0, 20)]
    [InlineData(long.MaxValue, 1, 0, 20)]
    [InlineData(long.MaxValue, null, 15, 30)]
    [InlineData(29, null, 21, null)]
    [InlineData(long.MaxValue, -1, 0, null)]
    [InlineData(10, 0, 10, 10)]
    public async Task Load_honours_the_selection_criteria(
        long maxSequenceNr,
        int? maxTimestampMinutes,
        long minSequenceNr,
        int? expectedSequenceNr)
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);
        await SaveAsync(store, "a", 20, T0.AddMinutes(1));
        await SaveAsync(store, "a", 30, T0.AddMinutes(2));

        var criteria = new SnapshotSelectionCriteria(
            maxSequenceNr,
            maxTimestampMinutes is { } minutes ? T0.AddMinutes(minutes) : null,
            minSequenceNr);
        var selected = await store.LoadAsync("a", criteria);

        Assert.Equal((long?)expectedSequenceNr, selected?.Metadata.SequenceNr);
        if (selected is not null)
        {
            Assert.True(criteria.Matches(selected.Metadata));
            Assert.Equal(Data("a", selected.Metadata.SequenceNr), selected.Data);
        }
    }

    [Fact]
    public async Task Saving_the_same_sequence_nr_again_replaces_the_snapshot()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);
        await store.SaveAsync(new SnapshotMetadata("a", 10, T0.AddMinutes(5)), new byte[] { 9, 9 });

        var latest = await store.LoadAsync("a", SnapshotSelectionCriteria.Latest);

        Assert.Equal(new byte[] { 9, 9 }, latest?.Data);
        Assert.Equal(T0.AddMinutes(5), latest?.Metadata.Timestamp);
    }

    [Fact]
    public async Task Timestamps_keep_their_instant_whatever_their_offset()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        var local = new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2));
        await SaveAsync(store, "a", 1, local);

        var latest = await store.LoadAsync("a", new SnapshotSelectionCriteria(MaxTimestamp: T0));

        Assert.Equal(local.UtcDateTime, latest?.Metadata.Timestamp.UtcDateTime);
    }

    [Fact]
    public async Task Delete_by_metadata_removes_only_that_snapshot()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);
        await SaveAsync(store, "a", 20, T0);
        await SaveAsync(store, "b", 20, T0);

        await store.DeleteAsync(new SnapshotMetadata("a", 20, T0));

        Assert.Equal(10, (await store.LoadAsync("a", SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
        Assert.Equal(20, (await store.LoadAsync("b", SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
    }

    [Fact]
    public async Task Delete_by_criteria_removes_the_matching_snapshots()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        foreach (var n in new long[] { 10, 20, 30, 40 })
        {
            await SaveAsync(store, "a", n, T0.AddMinutes(n));
        }

        await SaveAsync(store, "b", 10, T0);

        await store.DeleteAsync("a", new SnapshotSelectionCriteria(MaxSequenceNr: 30, MinSequenceNr: 15));
        Assert.Equal(40, (await store.LoadAsync("a", SnapshotSelectionCriteria.Latest))?.Metadata.SequenceNr);
        Assert.Equal(10, (await store.LoadAsync("a", new SnapshotSelectionCriteria(MaxSequenceNr: 39)))?.Metadata.SequenceNr);

        await store.DeleteAsync("a", new SnapshotSelectionCriteria(MaxTimestamp: T0.AddMinutes(10)));
        Assert.Null(await store.LoadAsync("a", new SnapshotSelectionCriteria(MaxSequenceNr: 39)));

        await store.DeleteAsync("a", SnapshotSelectionCriteria.Latest);
        Assert.Null(await store.LoadAsync("a", SnapshotSelectionCriteria.Latest));
        Assert.NotNull(await store.LoadAsync("b", SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public async Task Snapshots_survive_dispose_and_reopen()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "a", 10, T0);
        await SaveAsync(store, "a", 20, T0);
        await store.DisposeAsync();

        var reopened = await Target.OpenSnapshotStoreAsync();

        var latest = await reopened.LoadAsync("a", SnapshotSelectionCriteria.Latest);
        Assert.Equal(20, latest?.Metadata.SequenceNr);
        Assert.Equal(Data("a", 20), latest?.Data);
    }

    [Fact]
    public async Task A_corrupt_snapshot_is_skipped_with_a_warning_and_the_next_older_one_returned()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        await SaveAsync(store, "raft-1", 10, T0);
        await SaveAsync(store, "raft-1", 20, T0);
        await SaveAsync(store, "raft-1", 30, T0);
        await Target.CorruptSnapshotAsync("raft-1", 30);
        await Target.CorruptSnapshotAsync("raft-1", 20);

        var loaded = await store.LoadAsync("raft-1", SnapshotSelectionCriteria.Latest);

        Assert.Equal(10, loaded?.Metadata.SequenceNr);
        Assert.Equal(Data("raft-1", 10), loaded?.Data);
        Assert.Equal(2, Target.Logs.Warnings.Count(w => w.Message.Contains("raft-1")));
    }

    [Fact]
    public async Task Large_and_empty_snapshots_round_trip()
    {
        var store = await Target.OpenSnapshotStoreAsync();
        var large = new byte[3 * 1024 * 1024];
        new Random(42).NextBytes(large);
        await store.SaveAsync(new SnapshotMetadata("a", 1, T0), large);
        await store.SaveAsync(new SnapshotMetadata("b", 1, T0), ReadOnlyMemory<byte>.Empty);

        Assert.Equal(large, (await store.LoadAsync("a", SnapshotSelectionCriteria.Latest))?.Data);
        var empty = await store.LoadAsync("b", SnapshotSelectionCriteria.Latest);
        Assert.NotNull(empty);
        Assert.Empty(empty.Data);
    }

    protected abstract PersistenceTestTarget CreateTarget();

    protected static byte[] Data(string persistenceId, long sequenceNr) =>
        System.Text.Encoding.UTF8.GetBytes($"snapshot of {persistenceId} at {sequenceNr}");

    private static Task SaveAsync(ISnapshotStore store, string persistenceId, long sequenceNr, DateTimeOffset timestamp) =>
        store.SaveAsync(new SnapshotMetadata(persistenceId, sequenceNr, timestamp), Data(persistenceId, sequenceNr));
}
