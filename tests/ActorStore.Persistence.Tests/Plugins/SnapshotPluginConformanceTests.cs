namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Actor;
using Akka.Persistence;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// What every Akka.Persistence snapshot store ActorStore runs on must do, through the snapshot protocol.
/// Each test starts with snapshots of one persistence id at sequence numbers 10..50, a minute apart.
/// </summary>
public abstract class SnapshotPluginConformanceTests(ITestOutputHelper output) : PluginTestBase(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _pid = "s-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<SnapshotMetadata> _saved = [];

    /// <summary>Whether loading honours the criteria's lower sequence number bound; Akka.Persistence.Sql 1.5.73
    /// ignores it (ActorStore only ever loads the latest snapshot).</summary>
    protected virtual bool HonoursLowerSequenceNrBound => true;

    private IActorRef Store => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    [Fact]
    public async Task Nothing_is_loaded_for_an_unknown_persistence_id()
    {
        await SaveAllAsync();

        Assert.Null(await LoadAsync("unknown-" + _pid, SnapshotSelectionCriteria.Latest));
    }

    [Fact]
    public async Task Nothing_is_loaded_below_the_oldest_snapshot()
    {
        await SaveAllAsync();

        Assert.Null(await LoadAsync(_pid, new SnapshotSelectionCriteria(9)));
        Assert.Null(await LoadAsync(_pid, SnapshotSelectionCriteria.Latest, toSequenceNr: 9));
    }

    [Fact]
    public async Task The_latest_snapshot_is_loaded()
    {
        await SaveAllAsync();

        var loaded = await LoadAsync(_pid, SnapshotSelectionCriteria.Latest);

        AssertSnapshot(loaded, 50);
    }

    [Fact]
    public async Task The_latest_snapshot_under_an_upper_sequence_nr_bound_is_loaded()
    {
        await SaveAllAsync();

        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(35)), 30);
        AssertSnapshot(await LoadAsync(_pid, SnapshotSelectionCriteria.Latest, toSequenceNr: 25), 20);
        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(40)), 40);
    }

    [Fact]
    public async Task Upper_sequence_nr_and_timestamp_bounds_both_apply()
    {
        await SaveAllAsync();

        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(50, _saved[1].Timestamp)), 20);
        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(30, _saved[3].Timestamp)), 30);
    }

    [Fact]
    public async Task A_lower_sequence_nr_bound_applies()
    {
        await SaveAllAsync();

        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(45, DateTime.MaxValue, 25, null)), 40);
        var aboveAll = await LoadAsync(_pid, new SnapshotSelectionCriteria(45, DateTime.MaxValue, 41, null));
        if (HonoursLowerSequenceNrBound)
        {
            Assert.Null(aboveAll);
        }
        else
        {
            AssertSnapshot(aboveAll, 40);
        }
    }

    [Fact]
    public async Task A_single_snapshot_is_deleted_by_its_metadata()
    {
        await SaveAllAsync();

        var probe = Kit.CreateTestProbe();
        Store.Tell(new DeleteSnapshot(_saved[2]), probe.Ref);
        probe.ExpectMsg<DeleteSnapshotSuccess>(Timeout);

        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(30)), 20);
        AssertSnapshot(await LoadAsync(_pid, SnapshotSelectionCriteria.Latest), 50);
    }

    [Fact]
    public async Task Snapshots_matching_criteria_are_deleted()
    {
        await SaveAllAsync();

        var probe = Kit.CreateTestProbe();
        Store.Tell(new DeleteSnapshots(_pid, new SnapshotSelectionCriteria(30)), probe.Ref);
        probe.ExpectMsg<DeleteSnapshotsSuccess>(Timeout);

        Assert.Null(await LoadAsync(_pid, new SnapshotSelectionCriteria(30)));
        AssertSnapshot(await LoadAsync(_pid, SnapshotSelectionCriteria.Latest), 50);
        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(49)), 40);
    }

    [Fact]
    public async Task Snapshots_newer_than_the_timestamp_bound_are_not_deleted()
    {
        await SaveAllAsync();

        var probe = Kit.CreateTestProbe();
        Store.Tell(new DeleteSnapshots(_pid, new SnapshotSelectionCriteria(30, _saved[0].Timestamp.AddSeconds(-1))), probe.Ref);
        probe.ExpectMsg<DeleteSnapshotsSuccess>(Timeout);

        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(10)), 10);
        AssertSnapshot(await LoadAsync(_pid, new SnapshotSelectionCriteria(30)), 30);
    }

    [Fact]
    public async Task Saving_at_the_same_sequence_nr_replaces_the_snapshot()
    {
        await SaveAllAsync();

        await SaveAsync(new SnapshotMetadata(_pid, 50, Start.AddHours(1)), "replaced");

        var loaded = await LoadAsync(_pid, SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(50, loaded.Metadata.SequenceNr);
        Assert.Equal("replaced", loaded.Snapshot);
    }

    [Fact]
    public async Task A_large_snapshot_round_trips()
    {
        var data = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(data);

        await SaveAsync(new SnapshotMetadata(_pid, 7, Start), data);

        var loaded = await LoadAsync(_pid, SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(data, Assert.IsType<byte[]>(loaded.Snapshot));
    }

    [Fact]
    public async Task Snapshots_survive_an_actor_system_restart()
    {
        var storage = await NewStorageAsync();
        var first = StartSystem(storage);
        var probe = Kit.CreateTestProbe(first);
        var store = Akka.Persistence.Persistence.Instance.Apply(first).SnapshotStoreFor(null);
        store.Tell(new SaveSnapshot(new SnapshotMetadata(_pid, 3, Start), "three"), probe.Ref);
        probe.ExpectMsg<SaveSnapshotSuccess>(Timeout);
        await first.Terminate();

        var second = StartSystem(storage);
        probe = Kit.CreateTestProbe(second);
        Akka.Persistence.Persistence.Instance.Apply(second).SnapshotStoreFor(null)
            .Tell(new LoadSnapshot(_pid, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
        var result = probe.ExpectMsg<LoadSnapshotResult>(Timeout);

        Assert.NotNull(result.Snapshot);
        Assert.Equal(3, result.Snapshot.Metadata.SequenceNr);
        Assert.Equal("three", result.Snapshot.Snapshot);
    }

    private static string State(long sequenceNr) => $"state-{sequenceNr}";

    private void AssertSnapshot(SelectedSnapshot? loaded, long sequenceNr)
    {
        Assert.NotNull(loaded);
        Assert.Equal(_pid, loaded.Metadata.PersistenceId);
        Assert.Equal(sequenceNr, loaded.Metadata.SequenceNr);
        Assert.Equal(State(sequenceNr), loaded.Snapshot);
        Assert.Equal(_saved.Single(m => m.SequenceNr == sequenceNr).Timestamp, loaded.Metadata.Timestamp);
    }

    private async Task SaveAllAsync()
    {
        for (var i = 0; i < 5; i++)
        {
            var sequenceNr = (i + 1) * 10L;
            _saved.Add(await SaveAsync(new SnapshotMetadata(_pid, sequenceNr, Start.AddMinutes(i)), State(sequenceNr)));
        }
    }

    private async Task<SnapshotMetadata> SaveAsync(SnapshotMetadata metadata, object snapshot)
    {
        var probe = Kit.CreateTestProbe();
        Store.Tell(new SaveSnapshot(metadata, snapshot), probe.Ref);
        return (await probe.ExpectMsgAsync<SaveSnapshotSuccess>(Timeout)).Metadata;
    }

    private async Task<SelectedSnapshot?> LoadAsync(string pid, SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue)
    {
        var probe = Kit.CreateTestProbe();
        Store.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), probe.Ref);
        var reply = await probe.ReceiveOneAsync(Timeout);
        return reply switch
        {
            LoadSnapshotResult result => result.Snapshot,
            LoadSnapshotFailed failed => throw new Xunit.Sdk.XunitException($"load failed: {failed.Cause}"),
            _ => throw new Xunit.Sdk.XunitException($"unexpected reply to a load: {reply}"),
        };
    }
}
