namespace ActorStore.Gateway.Grpc;

/// <summary>Receives the request messages of a client-streaming or bidirectional call, one at a time.</summary>
/// <remarks>Not safe for concurrent use; <see cref="AsyncStreamReaderExtensions.ReadAllAsync"/> enables await foreach.</remarks>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>Reads the next message; false once the client has finished sending.</summary>
    ValueTask<bool> MoveNext(CancellationToken cancellationToken = default);
}
