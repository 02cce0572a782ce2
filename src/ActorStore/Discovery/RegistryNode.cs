namespace ActorStore.Discovery;

/// <summary>One key of a discovery registry, as the v2 keys API shows it.</summary>
public sealed record RegistryNode(string Key, string Value, ulong CreatedIndex, ulong ModifiedIndex)
{
    /// <summary>The last segment of the key: a member id in hex, or _config.</summary>
    public string BaseName => Key[(Key.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
}
