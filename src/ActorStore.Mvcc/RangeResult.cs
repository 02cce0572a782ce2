using Mvccpb;

namespace ActorStore.Mvcc;

/// <summary>
/// What a range read found: the key-values in key order (at most the limit), how many keys matched in total,
/// and the store revision the read was served at.
/// </summary>
public sealed record RangeResult(IReadOnlyList<KeyValue> Kvs, long Count, long Revision);
