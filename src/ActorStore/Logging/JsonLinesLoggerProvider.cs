using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ActorStore.Logging;

/// <summary>
/// Writes log lines from a dedicated thread, so that callers (often thread-pool threads) never wait on the console.
/// Disposing drains the queue and flushes the writer.
/// </summary>
public sealed class JsonLinesLoggerProvider : ILoggerProvider
{
    private const int QueueCapacity = 8192;

    private readonly TextWriter _output;
    private readonly Lock _outputLock = new();
    private readonly BlockingCollection<string> _queue = new(QueueCapacity);
    private readonly Thread _writerThread;
    private readonly ConcurrentDictionary<string, JsonLinesLogger> _loggers = new(StringComparer.Ordinal);
    private int _disposed;

    public JsonLinesLoggerProvider(TextWriter output, LogLevel minimumLevel, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _output = output;
        MinimumLevel = minimumLevel;
        TimeProvider = timeProvider;
        _writerThread = new Thread(WriteLoop) { IsBackground = true, Name = "actorstore-log-writer" };
        _writerThread.Start();
    }

    public LogLevel MinimumLevel { get; }

    internal TimeProvider TimeProvider { get; }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, provider) => new JsonLinesLogger(name, provider), this);

    internal void Enqueue(string line)
    {
        if (!_queue.IsAddingCompleted)
        {
            try
            {
                _queue.Add(line);
                return;
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add: fall through and write directly.
            }
        }

        lock (_outputLock)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.CompleteAdding();
        if (_writerThread.Join(TimeSpan.FromSeconds(5)))
        {
            _queue.Dispose();
        }
    }

    private void WriteLoop()
    {
        foreach (var line in _queue.GetConsumingEnumerable())
        {
            lock (_outputLock)
            {
                _output.WriteLine(line);
                if (_queue.Count == 0)
                {
                    _output.Flush();
                }
            }
        }

        lock (_outputLock)
        {
            _output.Flush();
        }
    }
}
