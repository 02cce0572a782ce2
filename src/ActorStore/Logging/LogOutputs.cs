using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ActorStore.Logging;

/// <summary>
/// etcd's --log-outputs for its JSON logger: "default" and "stderr" are stderr, "stdout" stdout, "systemd/journal" the
/// journal (alone), anything else a file the lines are appended to; several outputs each get every line.
/// </summary>
public static class LogOutputs
{
    public const string Default = "default";
    public const string Journal = "systemd/journal";
    public const string JournalSocket = "/run/systemd/journal/socket";

    /// <summary>etcd's refusal of a combination of outputs, or null when they go together.</summary>
    public static string? Validate(IReadOnlyList<string> outputs)
    {
        if (outputs.Count > 1 && outputs.Contains(Default))
        {
            return $"multi logoutput for \"{Default}\" is not supported yet";
        }

        if (outputs.Count > 1 && outputs.Contains(Journal))
        {
            return $"running with systemd/journal but other '--log-outputs' values ([{string.Join(' ', outputs)}]) are configured with 'default'; override 'default' value with something else";
        }

        return null;
    }

    /// <summary>
    /// The writer the logger writes its lines to; throws <see cref="IOException"/> with etcd's words when a file cannot
    /// be opened or the journal is not there.
    /// </summary>
    public static TextWriter Open(IReadOnlyList<string> outputs, string journalSocket = JournalSocket)
    {
        var writers = new List<TextWriter>();
        try
        {
            foreach (var output in outputs.Count == 0 ? [Default] : outputs)
            {
                writers.Add(output switch
                {
                    Default or "stderr" => Console.Error,
                    "stdout" => Console.Out,
                    Journal => JournalWriter.Connect(journalSocket),
                    _ => new StreamWriter(new FileStream(output, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false)),
                });
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            foreach (var writer in writers.Where(writer => writer != Console.Error && writer != Console.Out))
            {
                writer.Dispose();
            }

            throw e is IOException { InnerException: null } && e.Message.StartsWith("can't find journal", StringComparison.Ordinal)
                ? e
                : new IOException(e is SocketException ? $"can't find journal ({e.Message})" : $"open {e.Message}", e);
        }

        return writers.Count == 1 ? writers[0] : new FanOutWriter(writers);
    }

    /// <summary>Every line to each writer.</summary>
    private sealed class FanOutWriter(IReadOnlyList<TextWriter> writers) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            foreach (var writer in writers)
            {
                writer.Write(value);
            }
        }

        public override void Write(string? value)
        {
            foreach (var writer in writers)
            {
                writer.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            foreach (var writer in writers)
            {
                writer.WriteLine(value);
            }
        }

        public override void Flush()
        {
            foreach (var writer in writers)
            {
                writer.Flush();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var writer in writers.Where(writer => writer != Console.Error && writer != Console.Out))
                {
                    writer.Dispose();
                }
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Each JSON line as one journal entry (journald's native datagram protocol): the line as MESSAGE, its level as
    /// PRIORITY, its caller's package as PACKAGE, the program as SYSLOG_IDENTIFIER; a line the journal does not take
    /// goes to stderr, as etcd's journal writer falls back.
    /// </summary>
    private sealed class JournalWriter : TextWriter
    {
        private readonly Socket _socket;
        private readonly UnixDomainSocketEndPoint _journal;
        private readonly StringBuilder _pending = new();

        private JournalWriter(Socket socket, UnixDomainSocketEndPoint journal)
        {
            _socket = socket;
            _journal = journal;
        }

        public override Encoding Encoding => Encoding.UTF8;

        public static JournalWriter Connect(string path)
        {
            if (!File.Exists(path))
            {
                throw new IOException($"can't find journal (dial unixgram {path}: connect: no such file or directory)");
            }

            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            try
            {
                var journal = new UnixDomainSocketEndPoint(path);
                socket.Connect(journal);
                return new JournalWriter(socket, journal);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public override void Write(char value)
        {
            if (value == '\n')
            {
                Send(_pending.ToString());
                _pending.Clear();
            }
            else
            {
                _pending.Append(value);
            }
        }

        public override void WriteLine(string? value)
        {
            Send(_pending.Append(value).ToString());
            _pending.Clear();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _socket.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Send(string line)
        {
            var (level, caller) = LevelAndCaller(line);
            var entry = new StringBuilder()
                .Append("MESSAGE=").Append(line).Append('\n')
                .Append("PRIORITY=").Append(level switch { "debug" => 7, "info" => 6, "warn" => 4, "error" => 3, _ => 2 }).Append('\n')
                .Append("PACKAGE=").Append(caller).Append('\n')
                .Append("SYSLOG_IDENTIFIER=").Append(Path.GetFileName(Environment.GetCommandLineArgs().FirstOrDefault() ?? "actorstore")).Append('\n');
            try
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(entry.ToString()), _journal);
            }
            catch (SocketException)
            {
                Console.Error.WriteLine(line);
            }
        }

        private static (string Level, string Caller) LevelAndCaller(string line)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                return (root.TryGetProperty("level", out var level) ? level.GetString() ?? "" : "",
                    root.TryGetProperty("caller", out var caller) ? caller.GetString() ?? "" : "");
            }
            catch (JsonException)
            {
                return ("info", "");
            }
        }
    }
}
