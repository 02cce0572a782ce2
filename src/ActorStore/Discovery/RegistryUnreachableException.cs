namespace ActorStore.Discovery;

/// <summary>The registry could not be reached or answered with a server error: etcd retries these after a pause.</summary>
public sealed class RegistryUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
