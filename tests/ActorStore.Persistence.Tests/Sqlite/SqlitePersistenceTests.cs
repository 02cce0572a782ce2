using ActorStore.Persistence.Sqlite;
using ActorStore.Persistence.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorStore.Persistence.Tests.Sqlite;

public sealed class SqlitePersistenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Journal_and_snapshot_store_share_one_database_that_grows_with_writes()
    {
        await using var persistence = await SqlitePersistence.OpenAsync(_temp.Path);
        var initialSize = persistence.DatabaseSizeBytes;

        await persistence.Journal.WriteAsync(
            [new AtomicWrite("a", [.. Enumerable.Range(1, 200).Select(n => new JournalEntry("a", n, new byte[1000]))])]);
        await persistence.SnapshotStore.SaveAsync(new SnapshotMetadata("a", 200, DateTimeOffset.UnixEpoch), new byte[50_000]);

        Assert.True(persistence.DatabaseSizeBytes >= initialSize + 250_000, $"{initialSize} -> {persistence.DatabaseSizeBytes}");
        Assert.Single(Directory.GetFiles(Path.Combine(_temp.Path, "member"), "*.db"));
    }

    [Fact]
    public async Task Disposing_the_journal_leaves_the_snapshot_store_usable_and_disposing_both_closes_the_database()
    {
        var persistence = await SqlitePersistence.OpenAsync(_temp.Path);
        await persistence.Journal.WriteAsync([new AtomicWrite("a", [new JournalEntry("a", 1, new byte[] { 1 })])]);

        await persistence.Journal.DisposeAsync();
        await persistence.SnapshotStore.SaveAsync(new SnapshotMetadata("a", 1, DateTimeOffset.UnixEpoch), new byte[] { 7 });
        Assert.NotNull(await persistence.SnapshotStore.LoadAsync("a", SnapshotSelectionCriteria.Latest));

        await persistence.SnapshotStore.DisposeAsync();

        // Closed: the lock is released, the WAL checkpointed away, and further use is refused.
        Assert.False(File.Exists(Path.Combine(_temp.Path, "member", "actorstore.db-wal")));
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => persistence.SnapshotStore.SaveAsync(new SnapshotMetadata("a", 2, DateTimeOffset.UnixEpoch), new byte[] { 8 }));
        await using var reopened = await SqlitePersistence.OpenAsync(_temp.Path);
        Assert.Equal(1, await reopened.Journal.ReadHighestSequenceNrAsync("a"));
        Assert.Equal(new byte[] { 7 }, (await reopened.SnapshotStore.LoadAsync("a", SnapshotSelectionCriteria.Latest))?.Data);
    }

    [Fact]
    public async Task Writes_queued_before_dispose_complete_and_later_ones_are_refused()
    {
        var persistence = await SqlitePersistence.OpenAsync(_temp.Path);
        var queued = Enumerable.Range(1, 20)
            .Select(n => persistence.Journal.WriteAsync([new AtomicWrite("a", [new JournalEntry("a", n, new byte[] { (byte)n })])]))
            .ToList();

        await persistence.DisposeAsync();

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => persistence.Journal.WriteAsync([new AtomicWrite("a", [new JournalEntry("a", 21, new byte[] { 21 })])]));
        await using var reopened = await SqlitePersistence.OpenAsync(_temp.Path);
        Assert.Equal(20, await reopened.Journal.ReadHighestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task A_corrupt_state_record_throws_JournalCorruptedException_naming_it()
    {
        await using var persistence = await SqlitePersistence.OpenAsync(_temp.Path);
        await persistence.Journal.WriteAsync(
            [new AtomicWrite("raft-3", [], new Dictionary<string, byte[]> { ["hard"] = [1, 2, 3], ["conf"] = [4] })]);

        await using (var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = persistence.DatabasePath, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE journal_state SET value = x'010203ff' WHERE name = 'hard'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var error = await Assert.ThrowsAsync<JournalCorruptedException>(() => persistence.Journal.ReadStateAsync("raft-3"));

        Assert.Equal("raft-3", error.PersistenceId);
        Assert.Equal("hard", error.StateKey);
        Assert.Contains("'hard'", error.Message);
    }
}
