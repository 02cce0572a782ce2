namespace ActorStore.Persistence.Tests.Plugins;

using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

/// <summary>Direct access to the embedded plugins' files, bypassing the plugins, as damage or a crash would.</summary>
public static class SqliteFiles
{
    public static async Task<int> ExecuteAsync(string databasePath, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Flips a bit of one stored event's payload so that its checksum fails.</summary>
    public static async Task CorruptEventAsync(string journalPath, string persistenceId, long sequenceNr)
    {
        const string Where = "WHERE pid = (SELECT id FROM persistence_ids WHERE persistence_id = $pid) AND sequence_nr = $n";
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = journalPath, Pooling = false }.ToString());
        await connection.OpenAsync();
        byte[] payload;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = $"SELECT payload FROM events {Where}";
            read.Parameters.AddWithValue("$pid", persistenceId);
            read.Parameters.AddWithValue("$n", sequenceNr);
            payload = (byte[]?)await read.ExecuteScalarAsync()
                ?? throw new InvalidOperationException($"no event {persistenceId}/{sequenceNr} to corrupt");
        }

        payload[^1] ^= 0x01;
        await using var write = connection.CreateCommand();
        write.CommandText = $"UPDATE events SET payload = $payload {Where}";
        write.Parameters.AddWithValue("$pid", persistenceId);
        write.Parameters.AddWithValue("$n", sequenceNr);
        write.Parameters.AddWithValue("$payload", payload);
        await write.ExecuteNonQueryAsync();
    }

    /// <summary>Copies a database and its write-ahead log as a crashed process leaves them (no checkpoint).</summary>
    public static void CopyDatabase(string fromPath, string toPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(toPath)!);
        foreach (var suffix in (string[])["", "-wal"])
        {
            if (File.Exists(fromPath + suffix))
            {
                File.Copy(fromPath + suffix, toPath + suffix);
            }
        }
    }

    /// <summary>Every file under a directory with a hash of its content, to prove nothing was changed.</summary>
    public static SortedDictionary<string, string> Fingerprint(string directory) =>
        new(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(directory, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))));
}
