namespace ActorStore.Discovery;

/// <summary>The discovery protocol failed with one of etcd's errors (its message is etcd's text).</summary>
public sealed class DiscoveryFailedException(string message) : Exception(message)
{
    public const string InvalidUrl = "discovery: invalid URL";
    public const string BadSizeKey = "discovery: size key is bad";
    public const string SizeNotFound = "discovery: size key not found";
    public const string DuplicateId = "discovery: found duplicate id";
    public const string DuplicateName = "discovery: found duplicate name";
    public const string FullCluster = "discovery: cluster is full";
    public const string TooManyRetries = "discovery: too many retries";
    public const string BadDiscoveryEndpoint = "discovery: bad discovery endpoint";

    public bool IsFullCluster => Message == FullCluster;
}
