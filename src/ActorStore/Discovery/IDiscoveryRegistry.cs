namespace ActorStore.Discovery;

/// <summary>
/// The v2 keys calls etcd's discovery protocol makes on a registry. Keys are paths under the registry's endpoint;
/// failures to reach it throw <see cref="RegistryUnreachableException"/> (the caller retries), answers that are not
/// the v2 API's JSON throw <see cref="DiscoveryFailedException"/> with <see cref="DiscoveryFailedException.BadDiscoveryEndpoint"/>.
/// </summary>
public interface IDiscoveryRegistry
{
    /// <summary>The key's node, or null when the registry answers "key not found" (errorCode 100).</summary>
    Task<RegistryNode?> GetAsync(string key, CancellationToken ct);

    /// <summary>The directory's children and the registry's index (X-Etcd-Index) when it answered.</summary>
    Task<(IReadOnlyList<RegistryNode> Children, ulong Index)> ListAsync(string directory, CancellationToken ct);

    /// <summary>Creates the key (prevExist=false); null when it exists already (errorCode 105).</summary>
    Task<RegistryNode?> CreateAsync(string key, string value, CancellationToken ct);

    /// <summary>Waits for the next change at or under <paramref name="key"/> from <paramref name="waitIndex"/> on.</summary>
    Task<RegistryNode> WaitAsync(string key, ulong waitIndex, bool recursive, CancellationToken ct);
}
