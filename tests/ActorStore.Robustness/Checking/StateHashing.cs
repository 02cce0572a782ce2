using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>64-bit hashes for the search's memo: stable across processes (unlike string.GetHashCode) and well mixed.</summary>
internal static class StateHashing
{
    /// <summary>The SplitMix64 finalizer: spreads every input bit over the whole word.</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>FNV-1a over the characters, then mixed.</summary>
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return Mix(hash);
    }

    public static ulong Of(KeyValueRecord kv)
    {
        var hash = Mix(Of(kv.Key) ^ (Of(kv.Value) * 31));
        hash = Mix(hash ^ (ulong)kv.CreateRevision);
        hash = Mix(hash ^ (ulong)kv.ModRevision);
        return Mix(hash ^ (ulong)kv.Version);
    }
}
