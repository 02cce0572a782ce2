namespace ActorStore.Robustness.History;

/// <summary>A history file line that does not follow the format, named by its file and line number.</summary>
public sealed class HistoryFormatException(string fileName, int lineNumber, string problem, Exception? inner = null)
    : Exception($"{fileName}:{lineNumber}: {problem}", inner)
{
    public string FileName { get; } = fileName;
    public int LineNumber { get; } = lineNumber;
}
