using SQLitePCL;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// Fills a blob bound with <see cref="SqliteStatement.BindZeroBlob"/> in place, a piece at a time. Binding a large
/// blob makes SQLite copy all of it into memory of its own before writing a page; this writes straight into the pages.
/// </summary>
internal static class SqliteBlobWriter
{
    private const int PieceBytes = 1 << 20;

    public static void Write(sqlite3 db, string table, string column, long rowid, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        SqliteStatement.Check(db, raw.sqlite3_blob_open(db, "main", table, column, rowid, 1, out var blob));
        using (blob)
        {
            for (var offset = 0; offset < data.Length; offset += PieceBytes)
            {
                var piece = data.Slice(offset, Math.Min(PieceBytes, data.Length - offset));
                SqliteStatement.Check(db, raw.sqlite3_blob_write(blob, piece, offset));
            }
        }
    }
}
