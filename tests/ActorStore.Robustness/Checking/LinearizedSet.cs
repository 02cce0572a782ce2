namespace ActorStore.Robustness.Checking;

/// <summary>
/// Which operations are linearized, as a bitset with a hash kept up to date per change: the XOR of a fixed random-looking
/// key per member, so adding or removing one is O(1).
/// </summary>
internal sealed class LinearizedSet(int operationCount)
{
    private readonly ulong[] _words = new ulong[(operationCount + 63) / 64];

    public ulong Hash { get; private set; }

    public ReadOnlySpan<ulong> Words => _words;

    public bool Contains(int operation) => (_words[operation >> 6] & (1UL << operation)) != 0;

    public void Add(int operation)
    {
        _words[operation >> 6] |= 1UL << operation;
        Hash ^= KeyOf(operation);
    }

    public void Remove(int operation)
    {
        _words[operation >> 6] &= ~(1UL << operation);
        Hash ^= KeyOf(operation);
    }

    private static ulong KeyOf(int operation) => StateHashing.Mix((ulong)operation * 0xD1B54A32D192ED03UL);
}
