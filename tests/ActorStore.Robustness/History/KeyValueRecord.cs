namespace ActorStore.Robustness.History;

/// <summary>A key-value as etcd returns it (lease left out: the workload uses none).</summary>
public sealed record KeyValueRecord(string Key, string Value, long CreateRevision, long ModRevision, long Version)
{
    public override string ToString() => $"{Key}={Value} (create {CreateRevision}, mod {ModRevision}, version {Version})";
}
