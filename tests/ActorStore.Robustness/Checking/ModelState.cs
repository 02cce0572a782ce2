using System.Collections.Immutable;
using ActorStore.Robustness.History;

namespace ActorStore.Robustness.Checking;

/// <summary>
/// The sequential model's state: etcd's store revision and its keyspace. Immutable, so the search keeps earlier states
/// for free when it backtracks; a persistent sorted map shares all but O(log keys) nodes with the state it came from,
/// and the hash (XOR of the keys' hashes, plus the revision) is updated per change rather than recomputed.
/// </summary>
internal sealed class ModelState
{
    public static readonly ModelState Initial =
        new(1, ImmutableSortedDictionary.Create<string, KeyValueRecord>(StringComparer.Ordinal), 0);

    private readonly ulong _keysHash;

    private ModelState(long revision, ImmutableSortedDictionary<string, KeyValueRecord> keys, ulong keysHash)
    {
        Revision = revision;
        Keys = keys;
        _keysHash = keysHash;
        Hash = keysHash ^ StateHashing.Mix((ulong)revision);
    }

    public long Revision { get; }
    public ImmutableSortedDictionary<string, KeyValueRecord> Keys { get; }
    public ulong Hash { get; }

    public KeyValueRecord? Get(string key) => Keys.GetValueOrDefault(key);

    /// <summary>The keys starting with <paramref name="prefix"/>, sorted.</summary>
    public IEnumerable<KeyValueRecord> Range(string prefix) =>
        Keys.Values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Puts every key of <paramref name="keys"/> to <paramref name="value"/>, all at one new revision.</summary>
    public ModelState Put(string value, params ReadOnlySpan<string> keys)
    {
        var revision = Revision + 1;
        var map = Keys;
        var hash = _keysHash;
        foreach (var key in keys)
        {
            var old = map.GetValueOrDefault(key);
            var kv = old is null
                ? new KeyValueRecord(key, value, revision, revision, 1)
                : new KeyValueRecord(key, value, old.CreateRevision, revision, old.Version + 1);
            hash ^= (old is null ? 0 : StateHashing.Of(old)) ^ StateHashing.Of(kv);
            map = map.SetItem(key, kv);
        }
        return new ModelState(revision, map, hash);
    }

    public ModelState Delete(string key)
    {
        var old = Keys[key];
        return new ModelState(Revision + 1, Keys.Remove(key), _keysHash ^ StateHashing.Of(old));
    }

    /// <summary>Exact equality, for when the hashes agree.</summary>
    public bool SameAs(ModelState other) =>
        ReferenceEquals(this, other) ||
        (Revision == other.Revision && Hash == other.Hash && Keys.Count == other.Keys.Count && Keys.Values.SequenceEqual(other.Keys.Values));

    public override string ToString() => $"revision {Revision}, {{{string.Join("; ", Keys.Values)}}}";
}
