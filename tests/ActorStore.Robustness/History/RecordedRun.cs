namespace ActorStore.Robustness.History;

/// <summary>
/// A robustness run as recorded in its history file (notes/history-format.md): the operations, what each member's
/// watcher received, the keyspace at every revision and the final line. Build one directly for tests.
/// </summary>
public sealed record RecordedRun(
    IReadOnlyList<OperationRecord> Operations,
    IReadOnlyList<WatchResponseRecord> WatchResponses,
    IReadOnlyList<WatchEndRecord> WatchEnds,
    IReadOnlyList<StateRecord> States,
    FinalRecord? Final)
{
    /// <summary>The workload's key prefix: every key starts with it, and "range" and "state" read all of it.</summary>
    public const string KeyPrefix = "k";

    /// <summary>Reads a history file; a malformed line throws a <see cref="HistoryFormatException"/> naming it.</summary>
    public static RecordedRun Load(string path) => Parse(File.ReadLines(path), path);

    /// <summary>Parses history lines (JSON objects, one a line; blank lines are skipped).</summary>
    public static RecordedRun Parse(IEnumerable<string> lines, string source = "history")
    {
        var operations = new List<OperationRecord>();
        var watchResponses = new List<WatchResponseRecord>();
        var watchEnds = new List<WatchEndRecord>();
        var states = new List<StateRecord>();
        FinalRecord? final = null;
        var lineNumber = 0;
        foreach (var line in lines)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (final is not null)
            {
                throw new HistoryFormatException(source, lineNumber, "a line after the \"final\" line, which must be the last");
            }
            switch (HistoryLineParser.Parse(line, source, lineNumber))
            {
                case OperationRecord operation: operations.Add(operation); break;
                case WatchResponseRecord response: watchResponses.Add(response); break;
                case WatchEndRecord end: watchEnds.Add(end); break;
                case StateRecord state: states.Add(state); break;
                case FinalRecord last: final = last; break;
            }
        }
        return new RecordedRun(operations, watchResponses, watchEnds, states, final);
    }

    /// <summary>The state recorded at <paramref name="revision"/>, or null.</summary>
    public StateRecord? StateAt(long revision) => States.FirstOrDefault(state => state.Revision == revision);
}
