namespace ActorStore.Robustness.Checking;

/// <summary>
/// Lowe's memo for the Wing–Gong search: the configurations (set of linearized operations, model state) already
/// reached. Reaching one again, by another order of the same operations, leads nowhere new. Looked up by a 64-bit hash
/// of both and confirmed by exact comparison. A stored bitset drops its leading all-ones and trailing all-zeros words,
/// which are most of it in a long history.
/// </summary>
internal sealed class ConfigurationCache
{
    private readonly HashSet<Configuration> _seen = new(ConfigurationComparer.Instance);

    public int Count => _seen.Count;

    /// <summary>Records the configuration; false when it was already there.</summary>
    public bool Add(LinearizedSet linearized, ModelState state)
    {
        var words = linearized.Words;
        var start = 0;
        while (start < words.Length && words[start] == ulong.MaxValue)
        {
            start++;
        }
        var end = words.Length;
        while (end > start && words[end - 1] == 0)
        {
            end--;
        }
        var hash = linearized.Hash ^ StateHashing.Mix(state.Hash);
        return _seen.Add(new Configuration(hash, start, words[start..end].ToArray(), state));
    }

    private sealed record Configuration(ulong Hash, int FirstWord, ulong[] Words, ModelState State);

    private sealed class ConfigurationComparer : IEqualityComparer<Configuration>
    {
        public static readonly ConfigurationComparer Instance = new();

        public bool Equals(Configuration? x, Configuration? y) =>
            ReferenceEquals(x, y) ||
            (x is not null && y is not null && x.Hash == y.Hash && x.FirstWord == y.FirstWord &&
             x.Words.AsSpan().SequenceEqual(y.Words) && x.State.SameAs(y.State));

        public int GetHashCode(Configuration configuration) => (int)configuration.Hash ^ (int)(configuration.Hash >> 32);
    }
}
