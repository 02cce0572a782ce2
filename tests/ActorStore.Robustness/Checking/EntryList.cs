namespace ActorStore.Robustness.Checking;

/// <summary>
/// The history as a doubly linked list of call and return entries in time order (calls before returns at equal
/// times, so touching operations count as concurrent). Linearizing an operation lifts its two entries out; undoing it
/// puts them back in reverse order, which restores the links exactly (dancing links).
/// </summary>
internal sealed class EntryList
{
    public const int Head = 0;

    private readonly int[] _next;
    private readonly int[] _previous;
    private readonly int[] _operationOf;
    private readonly bool[] _isCall;
    private readonly int[] _callEntry;
    private readonly int[] _returnEntry;

    public EntryList(IReadOnlyList<SearchOperation> operations)
    {
        var entries = operations
            .SelectMany(op => new[] { (Time: op.Call, IsCall: true, Op: op.Index), (Time: op.Return, IsCall: false, Op: op.Index) })
            .OrderBy(e => e.Time).ThenBy(e => e.IsCall ? 0 : 1).ThenBy(e => e.Op)
            .ToArray();
        var count = entries.Length;
        Tail = count + 1;
        _next = new int[count + 2];
        _previous = new int[count + 2];
        _operationOf = new int[count + 2];
        _isCall = new bool[count + 2];
        _callEntry = new int[operations.Count];
        _returnEntry = new int[operations.Count];
        for (var i = 0; i <= count; i++)
        {
            _next[i] = i + 1;
            _previous[i + 1] = i;
        }
        for (var i = 0; i < count; i++)
        {
            var entry = i + 1;
            _operationOf[entry] = entries[i].Op;
            _isCall[entry] = entries[i].IsCall;
            (entries[i].IsCall ? _callEntry : _returnEntry)[entries[i].Op] = entry;
        }
    }

    public int Tail { get; }

    public int First => _next[Head];

    public int Next(int entry) => _next[entry];

    public bool IsCall(int entry) => _isCall[entry];

    public int OperationOf(int entry) => _operationOf[entry];

    public int CallEntryOf(int operation) => _callEntry[operation];

    public void Lift(int operation)
    {
        Unlink(_callEntry[operation]);
        Unlink(_returnEntry[operation]);
    }

    public void Unlift(int operation)
    {
        Relink(_returnEntry[operation]);
        Relink(_callEntry[operation]);
    }

    private void Unlink(int entry)
    {
        _next[_previous[entry]] = _next[entry];
        _previous[_next[entry]] = _previous[entry];
    }

    private void Relink(int entry)
    {
        _next[_previous[entry]] = entry;
        _previous[_next[entry]] = entry;
    }
}
