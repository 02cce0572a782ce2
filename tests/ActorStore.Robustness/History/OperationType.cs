namespace ActorStore.Robustness.History;

/// <summary>The workload's client operations, named as in the history file.</summary>
public enum OperationType
{
    /// <summary>Linearizable Get(key): 0 or 1 kvs.</summary>
    Get,

    /// <summary>Linearizable Get(key, WithPrefix()) over the whole keyspace: kvs sorted by key.</summary>
    Range,

    /// <summary>Put(key, value, WithPrevKV()).</summary>
    Put,

    /// <summary>Delete(key, WithPrevKV()).</summary>
    Delete,

    /// <summary>Txn(If(Value(key) == expect)).Then(Put(key, value)).</summary>
    Cas,

    /// <summary>Txn(If(CreateRevision(key) == 0)).Then(Put(key, value)).</summary>
    Create,

    /// <summary>Txn().Then(Put(key, value), Put(key2, value)): both keys at one revision.</summary>
    Txn2,
}
