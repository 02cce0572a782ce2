namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// One kind of database kept in a data dir's member directory: where it lives, the format marker it carries and
/// the files that mark a data dir as another ActorStore format (refused, never touched).
/// </summary>
/// <param name="DatabaseFileName">The database file inside the member directory.</param>
/// <param name="LockFileName">Held exclusively while the database is open, against a second process.</param>
/// <param name="FormatName">The meta table's 'format' value.</param>
/// <param name="FormatVersion">The newest 'format_version' this build reads and the one it creates.</param>
/// <param name="CreateSchema">DDL run once when the database is created (a 'meta' table is required).</param>
/// <param name="ForeignFiles">Files of the member directory that mean another format, with why it is refused.</param>
/// <param name="LockWait">How long to wait for a lock held elsewhere, e.g. by a restarted plugin's predecessor
/// that is still closing; zero fails at once.</param>
internal sealed record SqliteLayout(
    string DatabaseFileName,
    string LockFileName,
    string FormatName,
    int FormatVersion,
    string CreateSchema,
    IReadOnlyList<(string FileName, string Reason)> ForeignFiles,
    TimeSpan LockWait = default)
{
    /// <summary>A new database is built under this name and renamed into place once complete.</summary>
    public string InitializingFileName => DatabaseFileName + ".init";
}
