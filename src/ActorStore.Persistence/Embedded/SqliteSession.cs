using ActorStore.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ActorStore.Persistence.Embedded;

/// <summary>
/// A writer connection (synchronous=FULL; WAL, or a rollback journal where writes are few and large) with the
/// statements a <see cref="GroupCommitWriter{TSession}"/> needs to run many callers' work in one transaction, each
/// inside its own savepoint. Used only by the writer thread.
/// </summary>
internal abstract class SqliteSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly List<SqliteStatement> _statements = [];
    private readonly SqliteStatement _begin;
    private readonly SqliteStatement _commit;
    private readonly SqliteStatement _rollback;
    private readonly SqliteStatement _savepoint;
    private readonly SqliteStatement _release;
    private readonly SqliteStatement _rollbackToSavepoint;

    /// <param name="databasePath">The database file.</param>
    /// <param name="rollbackJournal">
    /// True for a rollback journal instead of WAL: a write then goes to the database file once, where WAL writes it to
    /// the -wal file and copies it again at the checkpoint. Worth it only where writes are few and large (snapshots).
    /// </param>
    protected SqliteSession(string databasePath, bool rollbackJournal = false)
    {
        _connection = new SqliteConnection(SqliteDataDirectory.ConnectionString(databasePath, SqliteOpenMode.ReadWrite));
        try
        {
            _connection.Open();
            using (var pragmas = _connection.CreateCommand())
            {
                // synchronous=FULL: each commit is fsynced, so an acknowledged write survives power loss.
                pragmas.CommandText = $"""
                    PRAGMA journal_mode = {(rollbackJournal ? "DELETE" : "WAL")};
                    PRAGMA synchronous = FULL;
                    PRAGMA busy_timeout = 10000;
                    PRAGMA journal_size_limit = 67108864;
                    """;
                pragmas.ExecuteNonQuery();
            }

            Db = _connection.Handle ?? throw new InvalidOperationException("SQLite connection has no handle");
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _savepoint = Prepare("SAVEPOINT caller");
            _release = Prepare("RELEASE caller");
            _rollbackToSavepoint = Prepare("ROLLBACK TO caller");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>False when SQLite rolled the transaction back on its own (e.g. disk full, I/O error).</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(Db) == 0;

    protected sqlite3 Db { get; }

    protected SqliteConnection Connection => _connection;

    public void Begin() => _begin.Execute();

    public void Commit() => _commit.Execute();

    public void Rollback()
    {
        if (InTransaction)
        {
            _rollback.Execute();
        }

        ForgetCaches();
    }

    public void Savepoint() => _savepoint.Execute();

    public void ReleaseSavepoint() => _release.Execute();

    /// <summary>Undoes one caller's work and keeps the rest of the transaction.</summary>
    public void UndoSavepoint()
    {
        _rollbackToSavepoint.Execute();
        _release.Execute();
        ForgetCaches();
    }

    /// <summary>Drops anything cached from rows that a rollback may have changed back.</summary>
    protected virtual void ForgetCaches()
    {
    }

    public void Dispose()
    {
        foreach (var statement in _statements)
        {
            statement.Dispose();
        }

        _statements.Clear();
        _connection.Dispose();
    }

    protected SqliteStatement Prepare(string sql)
    {
        var statement = new SqliteStatement(Db, sql);
        _statements.Add(statement);
        return statement;
    }
}
