namespace ActorStore.Robustness.Checking;

/// <summary>
/// Lowe's memo for the Wing–Gong search: the configurations (set of linearized operations, model state) already
/// reached. Reaching one again, by another order of the same operations, leads nowhere new. Looked up by a 64-bit hash
/// of both and confirmed by exact comparison. Each stored bitset drops its leading all-ones and trailing all-zeros
/// words, which are most of it in a long history.
/// </summary>
internal sealed class ConfigurationCache
{
    private readonly HashSet<Configuration> _seen = new(ConfigurationComparer.Instance);

    public int Count => _seen.Count;

    /// <summary>Records the configuration; false when it was already there.</summary>
    public bool Add(LinearizedSet linearized, ModelState state)
    {
        var required = Trim(linearized.Required, out var requiredFirst);
        var optional = Trim(linearized.Optional, out var optionalFirst);
        var words = new ulong[required.Length + optional.Length];
        required.CopyTo(words);
        optional.CopyTo(words.AsSpan(required.Length));
        var hash = linearized.Hash ^ StateHashing.Mix(state.Hash);
        return _seen.Add(new Configuration(hash, requiredFirst, required.Length, optionalFirst, words, state));
    }

    private static ReadOnlySpan<ulong> Trim(ReadOnlySpan<ulong> words, out int first)
    {
        first = 0;
        while (first < words.Length && words[first] == ulong.MaxValue)
        {
            first++;
        }
        var end = words.Length;
        while (end > first && words[end - 1] == 0)
        {
            end--;
        }
        return words[first..end];
    }

    /// <param name="Words">The trimmed required words, then the trimmed optional ones.</param>
    private sealed record Configuration(ulong Hash, int RequiredFirst, int RequiredLength, int OptionalFirst, ulong[] Words, ModelState State);

    private sealed class ConfigurationComparer : IEqualityComparer<Configuration>
    {
        public static readonly ConfigurationComparer Instance = new();

        public bool Equals(Configuration? x, Configuration? y) =>
            ReferenceEquals(x, y) ||
            (x is not null && y is not null && x.Hash == y.Hash && x.RequiredFirst == y.RequiredFirst &&
             x.RequiredLength == y.RequiredLength && x.OptionalFirst == y.OptionalFirst &&
             x.Words.AsSpan().SequenceEqual(y.Words) && x.State.SameAs(y.State));

        public int GetHashCode(Configuration configuration) => (int)configuration.Hash ^ (int)(configuration.Hash >> 32);
    }
}
