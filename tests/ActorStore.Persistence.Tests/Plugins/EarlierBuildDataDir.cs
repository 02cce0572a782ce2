namespace ActorStore.Persistence.Tests.Plugins;

/// <summary>
/// A data dir as the builds before the Akka.Persistence journal left it: one SQLite database, member/actorstore.db,
/// marked format 'actorstore' version 1, with a journal row.
/// </summary>
public static class EarlierBuildDataDir
{
    public static async Task CreateAsync(string dataDir)
    {
        var memberDir = Path.Combine(dataDir, "member");
        Directory.CreateDirectory(memberDir);
        await SqliteFiles.ExecuteAsync(
            Path.Combine(memberDir, "actorstore.db"),
            """
            CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT INTO meta (name, value) VALUES ('format', 'actorstore'), ('format_version', '1');
            CREATE TABLE journal (pid INTEGER NOT NULL, sequence_nr INTEGER NOT NULL, payload BLOB NOT NULL);
            INSERT INTO journal VALUES (1, 1, x'01');
            """);
    }
}
