namespace ActorStore.Robustness.Checking;

/// <summary>
/// Which operations are linearized, as two bitsets — required operations and optional ones (unknown writes that may
/// never have happened) — with a hash kept up to date per change: the XOR of a fixed random-looking key per member,
/// so adding or removing one is O(1). Kept apart because they fill differently: the required ones from the start
/// without gaps, the optional ones with holes for good; each trims well on its own.
/// </summary>
internal sealed class LinearizedSet
{
    private readonly ulong[] _required;
    private readonly ulong[] _optional;
    private readonly bool[] _isRequired;
    private readonly int[] _bit;

    public LinearizedSet(IReadOnlyList<bool> isRequired)
    {
        _isRequired = isRequired.ToArray();
        _bit = new int[_isRequired.Length];
        int requiredCount = 0, optionalCount = 0;
        for (var i = 0; i < _isRequired.Length; i++)
        {
            _bit[i] = _isRequired[i] ? requiredCount++ : optionalCount++;
        }
        _required = new ulong[(requiredCount + 63) / 64];
        _optional = new ulong[(optionalCount + 63) / 64];
    }

    public ulong Hash { get; private set; }

    public ReadOnlySpan<ulong> Required => _required;

    public ReadOnlySpan<ulong> Optional => _optional;

    public bool Contains(int operation) => (WordsOf(operation)[_bit[operation] >> 6] & (1UL << _bit[operation])) != 0;

    public void Add(int operation)
    {
        WordsOf(operation)[_bit[operation] >> 6] |= 1UL << _bit[operation];
        Hash ^= KeyOf(operation);
    }

    public void Remove(int operation)
    {
        WordsOf(operation)[_bit[operation] >> 6] &= ~(1UL << _bit[operation]);
        Hash ^= KeyOf(operation);
    }

    private ulong[] WordsOf(int operation) => _isRequired[operation] ? _required : _optional;

    private static ulong KeyOf(int operation) => StateHashing.Mix((ulong)operation * 0xD1B54A32D192ED03UL);
}
