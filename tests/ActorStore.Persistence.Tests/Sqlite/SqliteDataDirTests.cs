using System.Security.Cryptography;
using ActorStore.Persistence.Sqlite;
using ActorStore.Persistence.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ActorStore.Persistence.Tests.Sqlite;

/// <summary>Opening must refuse anything that is not an ActorStore data dir, and leave it exactly as it was.</summary>
public sealed class SqliteDataDirTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_data_dir_is_created_private_and_initialized()
    {
        var dataDir = _temp.Combine("nested", "data");

        await using (var persistence = await SqlitePersistence.OpenAsync(dataDir))
        {
            Assert.Equal(Path.Combine(dataDir, "member", "actorstore.db"), persistence.DatabasePath);
            Assert.True(File.Exists(persistence.DatabasePath));
            Assert.True(persistence.DatabaseSizeBytes > 0);
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Assert.Equal(Private, File.GetUnixFileMode(dataDir));
            Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(dataDir, "member")));
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(Path.Combine(dataDir, "member", "actorstore.db")));
        }

        Assert.Equal(
            ["actorstore.db", "actorstore.lock"],
            Directory.GetFileSystemEntries(Path.Combine(dataDir, "member")).Select(Path.GetFileName).Order());

        // Reopening an initialized dir works and keeps the data.
        await using var again = await SqlitePersistence.OpenAsync(dataDir);
        await again.Journal.WriteAsync([new AtomicWrite("a", [new JournalEntry("a", 1, new byte[] { 1 })])]);
        Assert.Equal(1, await again.Journal.ReadHighestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task An_empty_existing_data_dir_is_initialized()
    {
        await using var persistence = await SqlitePersistence.OpenAsync(_temp.Path);

        Assert.True(File.Exists(_temp.Combine("member", "actorstore.db")));
    }

    [Fact]
    public async Task A_leftover_half_initialized_database_is_replaced()
    {
        Directory.CreateDirectory(_temp.Combine("member"));
        await File.WriteAllTextAsync(_temp.Combine("member", "actorstore.db.init"), "interrupted");

        await using var persistence = await SqlitePersistence.OpenAsync(_temp.Path);

        Assert.False(File.Exists(_temp.Combine("member", "actorstore.db.init")));
        Assert.Equal(0, await persistence.Journal.ReadHighestSequenceNrAsync("a"));
    }

    [Fact]
    public async Task A_data_dir_that_is_a_file_is_refused()
    {
        var file = _temp.Combine("data");
        await File.WriteAllTextAsync(file, "not a directory");

        var error = await AssertRefusedUntouchedAsync(file, _temp.Path);

        Assert.Contains("is a file, not a directory", error.Message);
    }

    [Theory]
    [InlineData("wal")]
    [InlineData("snap")]
    public async Task An_etcd_data_dir_is_refused(string etcdDirectory)
    {
        Directory.CreateDirectory(_temp.Combine("member", etcdDirectory));
        await File.WriteAllBytesAsync(_temp.Combine("member", etcdDirectory, "0000000000000000-0000000000000000.wal"), [1, 2, 3]);

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Equal($"data dir {_temp.Path} holds an etcd data directory; ActorStore cannot use it", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_sqlite_database_is_refused()
    {
        Directory.CreateDirectory(_temp.Combine("member"));
        await File.WriteAllTextAsync(_temp.Combine("member", "actorstore.db"), "some other program's data, long enough");

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("is not a SQLite database", error.Message);
    }

    [Fact]
    public async Task An_empty_database_file_is_refused()
    {
        Directory.CreateDirectory(_temp.Combine("member"));
        await File.WriteAllBytesAsync(_temp.Combine("member", "actorstore.db"), []);

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("is not a SQLite database", error.Message);
    }

    [Fact]
    public async Task A_database_path_that_is_a_directory_is_refused()
    {
        Directory.CreateDirectory(_temp.Combine("member", "actorstore.db"));

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("is a directory", error.Message);
    }

    [Fact]
    public async Task A_foreign_sqlite_database_is_refused()
    {
        await CreateSqliteDatabaseAsync("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER); INSERT INTO accounts VALUES (1, 100);");

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("not an ActorStore one", error.Message);
    }

    [Fact]
    public async Task A_foreign_sqlite_database_in_wal_mode_is_refused_untouched()
    {
        await CreateSqliteDatabaseAsync("PRAGMA journal_mode = WAL; CREATE TABLE meta (name TEXT, value TEXT);");

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("format '(none)'", error.Message);
    }

    [Fact]
    public async Task A_sqlite_database_of_another_format_is_refused()
    {
        await CreateSqliteDatabaseAsync(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', 'otherstore'), ('format_version', '1');");

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("'otherstore'", error.Message);
    }

    [Fact]
    public async Task A_newer_format_version_is_refused()
    {
        await CreateSqliteDatabaseAsync(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', 'actorstore'), ('format_version', '2');");

        var error = await AssertRefusedUntouchedAsync(_temp.Path);

        Assert.Contains("format version 2, newer than version 1", error.Message);
    }

    [Fact]
    public async Task A_data_dir_in_use_by_another_instance_is_refused()
    {
        await using var first = await SqlitePersistence.OpenAsync(_temp.Path);

        var error = await Assert.ThrowsAsync<DataDirException>(() => SqlitePersistence.OpenAsync(_temp.Path));

        Assert.Contains("in use", error.Message);
        await first.Journal.WriteAsync([new AtomicWrite("a", [new JournalEntry("a", 1, new byte[] { 1 })])]);
        Assert.Equal(1, await first.Journal.ReadHighestSequenceNrAsync("a"));
    }

    private async Task CreateSqliteDatabaseAsync(string sql)
    {
        Directory.CreateDirectory(_temp.Combine("member"));
        await using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = _temp.Combine("member", "actorstore.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Opening fails with DataDirException and every file under <paramref name="watched"/> is unchanged.</summary>
    private static async Task<DataDirException> AssertRefusedUntouchedAsync(string dataDir, string? watched = null)
    {
        watched ??= dataDir;
        var before = Fingerprint(watched);

        var error = await Assert.ThrowsAsync<DataDirException>(() => SqlitePersistence.OpenAsync(dataDir));

        Assert.Equal(before, Fingerprint(watched));
        Assert.Equal(Path.GetFullPath(dataDir), error.DataDir);
        return error;
    }

    private static List<string> Fingerprint(string root) =>
    [
        .. Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => File.Exists(path)
                ? $"{path} {File.GetLastWriteTimeUtc(path):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}"
                : $"{path}/"),
    ];
}
