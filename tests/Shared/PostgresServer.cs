namespace ActorStore.Tests.Shared;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

/// <summary>
/// A private PostgreSQL server for the tests: initdb into a fresh directory, postgres on a free 127.0.0.1 port,
/// stopped and deleted at the end. PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user
/// that Debian's package creates. Without PostgreSQL's binaries it fails loudly: these tests never pass silently.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private string? _root;
    private string? _binDir;

    public int Port { get; private set; }

    public string Version { get; private set; } = string.Empty;

    private string DataDir => Path.Combine(_root!, "data");

    public async Task InitializeAsync()
    {
        _binDir = FindBinDir();
        Version = (await RunAsync(Path.Combine(_binDir, "postgres"), ["--version"], asPostgresUser: false)).Trim();

        // The 'postgres' user must reach the directory; a private TMPDIR (mode 0700, root's) would shut it out.
        var parent = Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();
        _root = Path.Combine(parent, "actorstore-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", [$"{SuperUser}:", _root], asPostgresUser: false);
        }

        await RunAsync(Path.Combine(_binDir, "initdb"), ["-D", DataDir, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-sync"]);
        Port = FreePort();

        // fsync and synchronous_commit stay on (the defaults): the crash tests rely on acknowledged = durable.
        await RunAsync(
            Path.Combine(_binDir, "pg_ctl"),
            [
                "-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
                "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_root} -c max_connections=200", "start",
            ]);
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
        }.ToString();

    public async Task DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        try
        {
            if (_binDir is not null && File.Exists(Path.Combine(DataDir, "postmaster.pid")))
            {
                NpgsqlConnection.ClearAllPools();
                await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static string FindBinDir()
    {
        // Debian's layout; version 15 first, as the project tests against PostgreSQL 15.
        var candidates = new[] { "/usr/lib/postgresql/15/bin" }
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin"))
                : []);
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "postgres")))
            ?? throw new InvalidOperationException(
                "PostgreSQL's server binaries were not found in /usr/lib/postgresql/*/bin, so the Akka.Persistence.Sql "
                + "tests cannot run. Install them with 'apt-get install -y postgresql' (.ci/run does this).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<string> RunAsync(string program, IReadOnlyList<string> arguments) =>
        RunAsync(program, arguments, asPostgresUser: Environment.IsPrivilegedProcess);

    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var argument in (string[])["-u", SuperUser, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
