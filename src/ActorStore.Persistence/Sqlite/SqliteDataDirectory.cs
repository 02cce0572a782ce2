using System.Text;
using Microsoft.Data.Sqlite;

namespace ActorStore.Persistence.Sqlite;

/// <summary>
/// The member directory of a data dir, validated as ours (or empty) and locked against other processes.
/// Everything that might belong to someone else is inspected read-only before anything is created.
/// </summary>
internal sealed class SqliteDataDirectory : IDisposable
{
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static ReadOnlySpan<byte> SqliteHeader => "SQLite format 3\0"u8;

    private readonly FileStream _lock;

    private SqliteDataDirectory(string dataDir, string databasePath, FileStream lockStream)
    {
        DataDir = dataDir;
        DatabasePath = databasePath;
        _lock = lockStream;
    }

    public string DataDir { get; }

    public string DatabasePath { get; }

    /// <summary>
    /// Validates, creates what is missing (mode 0700), takes the lock and initializes an empty database of the kind
    /// <paramref name="layout"/> describes.
    /// </summary>
    public static SqliteDataDirectory Open(string dataDir, SqliteLayout layout)
    {
        var memberDir = Path.Combine(dataDir, SqliteSchema.MemberDirectory);
        var databasePath = Path.Combine(memberDir, layout.DatabaseFileName);
        Inspect(dataDir, memberDir, databasePath, layout);

        CreatePrivateDirectory(dataDir);
        CreatePrivateDirectory(memberDir);
        var lockStream = AcquireLock(dataDir, memberDir, layout);
        try
        {
            // Checked again under the lock: another process may have initialized the directory meanwhile.
            if (File.Exists(databasePath))
            {
                ProbeFormat(dataDir, databasePath, layout);
            }
            else
            {
                Initialize(memberDir, databasePath, layout);
            }

            return new SqliteDataDirectory(dataDir, databasePath, lockStream);
        }
        catch
        {
            lockStream.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();

    internal static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();

    /// <summary>Read-only checks; throws <see cref="DataDirException"/> for anything that is not ours.</summary>
    private static void Inspect(string dataDir, string memberDir, string databasePath, SqliteLayout layout)
    {
        if (File.Exists(dataDir))
        {
            throw new DataDirException(dataDir, $"data dir {dataDir} is a file, not a directory");
        }

        if (!Directory.Exists(dataDir))
        {
            return;
        }

        if (File.Exists(memberDir))
        {
            throw new DataDirException(dataDir, $"data dir {dataDir}: {memberDir} is a file, not a directory");
        }

        if (!Directory.Exists(memberDir))
        {
            return;
        }

        if (Path.Exists(Path.Combine(memberDir, "wal")) || Path.Exists(Path.Combine(memberDir, "snap")))
        {
            throw new DataDirException(dataDir, $"data dir {dataDir} holds an etcd data directory; ActorStore cannot use it");
        }

        foreach (var (fileName, reason) in layout.ForeignFiles)
        {
            if (Path.Exists(Path.Combine(memberDir, fileName)))
            {
                throw new DataDirException(
                    dataDir,
                    $"data dir {dataDir} holds {Path.Combine(memberDir, fileName)}: {reason}; ActorStore leaves it untouched");
            }
        }

        if (Directory.Exists(databasePath))
        {
            throw new DataDirException(dataDir, $"data dir {dataDir}: {databasePath} is a directory, not a database file");
        }

        if (File.Exists(databasePath))
        {
            ProbeFormat(dataDir, databasePath, layout);
        }
    }

    private static void ProbeFormat(string dataDir, string databasePath, SqliteLayout layout)
    {
        Span<byte> header = stackalloc byte[SqliteHeader.Length];
        int read;
        using (var file = new FileStream(databasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw new DataDirException(
                dataDir,
                $"data dir {dataDir}: {databasePath} is not a SQLite database; ActorStore leaves it untouched");
        }

        string? format;
        string? version;
        try
        {
            // immutable=1: no locks, no -wal/-shm files, no writes of any kind to a database that may not be ours.
            using var connection = new SqliteConnection(
                ConnectionString($"file:{EscapeUriPath(databasePath)}?immutable=1", SqliteOpenMode.ReadOnly));
            connection.Open();
            format = ReadMeta(connection, "format");
            version = ReadMeta(connection, "format_version");
        }
        catch (SqliteException e)
        {
            throw new DataDirException(
                dataDir,
                $"data dir {dataDir}: {databasePath} is a SQLite database but not an ActorStore one "
                + $"({e.Message}); ActorStore leaves it untouched",
                e);
        }

        if (format != layout.FormatName)
        {
            throw new DataDirException(
                dataDir,
                $"data dir {dataDir}: {databasePath} is a SQLite database of format '{format ?? "(none)"}', "
                + $"not '{layout.FormatName}'; ActorStore leaves it untouched");
        }

        if (!int.TryParse(version, out var formatVersion) || formatVersion < 1)
        {
            throw new DataDirException(
                dataDir, $"data dir {dataDir}: {databasePath} has an invalid format version '{version}'");
        }

        if (formatVersion > layout.FormatVersion)
        {
            throw new DataDirException(
                dataDir,
                $"data dir {dataDir}: {databasePath} has format version {formatVersion}, newer than version "
                + $"{layout.FormatVersion} that this ActorStore understands; use a newer ActorStore");
        }
    }

    private static string? ReadMeta(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// Builds the database under a temporary name and renames it into place, so a crash during initialization
    /// never leaves a half-made database under the real name.
    /// </summary>
    private static void Initialize(string memberDir, string databasePath, SqliteLayout layout)
    {
        var initPath = Path.Combine(memberDir, layout.InitializingFileName);
        foreach (var suffix in (ReadOnlySpan<string>)["", "-wal", "-shm", "-journal"])
        {
            File.Delete(initPath + suffix);
        }

        // SQLite gives its -wal and -shm files the database file's permissions, so one private file covers all.
        CreatePrivateFile(initPath);
        using (var connection = new SqliteConnection(ConnectionString(initPath, SqliteOpenMode.ReadWrite)))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                BEGIN;
                {layout.CreateSchema}
                INSERT INTO meta (name, value) VALUES ('format', '{layout.FormatName}');
                INSERT INTO meta (name, value) VALUES ('format_version', '{layout.FormatVersion}');
                COMMIT;
                """;
            command.ExecuteNonQuery();
        }

        if (File.Exists(initPath + "-wal"))
        {
            throw new IOException($"initializing {databasePath}: SQLite left {initPath}-wal behind after closing");
        }

        File.Move(initPath, databasePath);
        File.Delete(initPath + "-shm");
    }

    private static FileStream AcquireLock(string dataDir, string memberDir, SqliteLayout layout)
    {
        var lockPath = Path.Combine(memberDir, layout.LockFileName);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        var deadline = DateTime.UtcNow + layout.LockWait;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Only ever called on a dedicated writer thread or at start-up: a short sleep blocks nothing shared.
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new DataDirException(
                    dataDir, $"data dir {dataDir} is in use by another ActorStore process ({lockPath} is locked)", e);
            }
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectoryMode);
        }
    }

    private static void CreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
        }

        new FileStream(path, options).Dispose();
    }

    /// <summary>Percent-encodes a path for a SQLite URI file name, keeping unreserved characters, '/' and ':'.</summary>
    private static string EscapeUriPath(string path)
    {
        var uriPath = path.Replace('\\', '/');
        if (!uriPath.StartsWith('/'))
        {
            uriPath = "/" + uriPath;
        }

        var builder = new StringBuilder(uriPath.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(uriPath))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/' or ':')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2"));
            }
        }

        return builder.ToString();
    }
}
