using ActorStore.Server.Backup;

namespace ActorStore.Backup;

/// <summary>
/// A one-line progress bar on a terminal for long snapshot work: redrawn at most ten times a second, with the step,
/// the share done and the sizes; nothing at all when the output is not a terminal (scripts and logs stay clean).
/// </summary>
public sealed class ConsoleProgressBar(TextWriter terminal, TimeProvider time) : IProgress<SnapshotProgress>, IDisposable
{
    private const int Width = 30;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);
    private long _lastDrawn = long.MinValue;
    private string _lastStep = "";
    private int _drawnLength;

    /// <summary>A bar on standard error when it is a terminal, else none.</summary>
    public static ConsoleProgressBar? ForStandardError() =>
        Console.IsErrorRedirected ? null : new ConsoleProgressBar(Console.Error, TimeProvider.System);

    public void Report(SnapshotProgress value)
    {
        var now = time.GetTimestamp();
        var finished = value.Total > 0 && value.Done >= value.Total;
        if (value.Step == _lastStep && !finished && _lastDrawn != long.MinValue && time.GetElapsedTime(_lastDrawn, now) < RedrawEvery)
        {
            return;
        }
        _lastDrawn = now;
        _lastStep = value.Step;
        var line = value.Total > 0
            ? $"{value.Step} [{new string('#', (int)(Width * value.Done / value.Total)).PadRight(Width, '.')}] {100 * value.Done / value.Total,3}% {SnapshotStreamer.HumanBytes(value.Done)} / {SnapshotStreamer.HumanBytes(value.Total)}"
            : $"{value.Step}...";
        terminal.Write("\r" + line.PadRight(_drawnLength));
        _drawnLength = line.Length;
        terminal.Flush();
    }

    /// <summary>Clears the bar so that the command's own output starts on a clean line.</summary>
    public void Dispose()
    {
        if (_drawnLength > 0)
        {
            terminal.Write("\r" + new string(' ', _drawnLength) + "\r");
            terminal.Flush();
        }
    }
}
