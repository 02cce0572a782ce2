namespace ActorStore.Persistence.Sqlite;

/// <summary>Where databases live in a data dir, and the file that marks a data dir of an earlier ActorStore build.</summary>
internal static class SqliteSchema
{
    public const string MemberDirectory = "member";

    /// <summary>The single database of the home-made journal that earlier builds kept; refused, never touched.</summary>
    public const string DatabaseFileName = "actorstore.db";
}
