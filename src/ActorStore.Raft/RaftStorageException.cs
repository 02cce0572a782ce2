namespace ActorStore.Raft;

/// <summary>Raised by an <see cref="IRaftLogStorage"/> when a request falls outside what it holds.</summary>
public sealed class RaftStorageException(RaftStorageError error, string message) : Exception(message)
{
    public RaftStorageError Error { get; } = error;
}
