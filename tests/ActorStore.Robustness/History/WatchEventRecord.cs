namespace ActorStore.Robustness.History;

/// <summary>One watch event; a delete's kv has only the key and the deleting revision, as etcd sends it.</summary>
public sealed record WatchEventRecord(WatchEventType Type, KeyValueRecord Kv, KeyValueRecord? PrevKv);
