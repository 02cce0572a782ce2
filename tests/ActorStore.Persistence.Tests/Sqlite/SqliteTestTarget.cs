using ActorStore.Persistence.Sqlite;
using ActorStore.Persistence.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorStore.Persistence.Tests.Sqlite;

/// <summary>A SQLite plugin on a private temp data dir.</summary>
public sealed class SqliteTestTarget : PersistenceTestTarget
{
    private readonly TempDirectory _directory = new();

    public string DataDir => _directory.Path;

    public string DatabasePath => _directory.Combine("member", "actorstore.db");

    public override Task CorruptJournalEntryAsync(string persistenceId, long sequenceNr) =>
        FlipFirstByteAsync(
            "SELECT payload FROM journal WHERE pid = (SELECT id FROM persistence_ids WHERE persistence_id = $id) AND sequence_nr = $n",
            "UPDATE journal SET payload = $value WHERE pid = (SELECT id FROM persistence_ids WHERE persistence_id = $id) AND sequence_nr = $n",
            persistenceId,
            sequenceNr);

    public override Task CorruptSnapshotAsync(string persistenceId, long sequenceNr) =>
        FlipFirstByteAsync(
            "SELECT data FROM snapshots WHERE persistence_id = $id AND sequence_nr = $n",
            "UPDATE snapshots SET data = $value WHERE persistence_id = $id AND sequence_nr = $n",
            persistenceId,
            sequenceNr);


    protected override async Task<IJournal> OpenJournalCoreAsync()
    {
        var persistence = await SqlitePersistence.OpenAsync(DataDir, Logs);

        // This test needs only the journal, so the database closes when the journal is disposed.
        await persistence.SnapshotStore.DisposeAsync();
        return persistence.Journal;
    }

    protected override async Task<ISnapshotStore> OpenSnapshotStoreCoreAsync()
    {
        var persistence = await SqlitePersistence.OpenAsync(DataDir, Logs);
        await persistence.Journal.DisposeAsync();
        return persistence.SnapshotStore;
    }

    protected override ValueTask DeleteStorageAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task FlipFirstByteAsync(string select, string update, string persistenceId, long sequenceNr)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();

        byte[] value;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = select;
            read.Parameters.AddWithValue("$id", persistenceId);
            read.Parameters.AddWithValue("$n", sequenceNr);
            value = (byte[]?)await read.ExecuteScalarAsync()
                ?? throw new InvalidOperationException($"nothing stored for {persistenceId}/{sequenceNr}");
        }

        value[0] ^= 0x01;
        await using var write = connection.CreateCommand();
        write.CommandText = update;
        write.Parameters.AddWithValue("$id", persistenceId);
        write.Parameters.AddWithValue("$n", sequenceNr);
        write.Parameters.AddWithValue("$value", value);
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
    }
}
