using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// A statement prepared once on the writer connection and reused: binding spans and longs directly avoids the
/// per-value boxing and array copies of the ADO.NET layer on the write path.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        // An empty span has no address and would bind NULL; bind a zero-length blob instead.
        Check(value.IsEmpty
            ? raw.sqlite3_bind_zeroblob(_statement, index, 0)
            : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Binds <paramref name="length"/> zero bytes, to be filled in place with <see cref="SqliteBlobWriter"/>.</summary>
    public SqliteStatement BindZeroBlob(int index, int length)
    {
        Check(raw.sqlite3_bind_zeroblob(_statement, index, length));
        return this;
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Advances to the next row; false when done. Call <see cref="Reset"/> after the last use.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        throw Error(rc);
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>A text column as a string; empty for NULL.</summary>
    public string ColumnText(int index) => raw.sqlite3_column_text(_statement, index).utf8_to_string() ?? string.Empty;

    public long ColumnInt64(int index) => raw.sqlite3_column_int64(_statement, index);

    public bool ColumnIsNull(int index) => raw.sqlite3_column_type(_statement, index) == raw.SQLITE_NULL;

    /// <summary>Valid only until the next <see cref="Step"/> or <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> ColumnBlob(int index) => raw.sqlite3_column_blob(_statement, index);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc) => Check(_db, rc);

    private SqliteException Error(int rc) => Error(_db, rc);

    /// <summary>Throws SQLite's error for <paramref name="rc"/> unless it is SQLITE_OK.</summary>
    internal static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(db, rc);
        }
    }

    private static SqliteException Error(sqlite3 db, int rc) =>
        new(
            $"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.",
            rc,
            raw.sqlite3_extended_errcode(db));
}
