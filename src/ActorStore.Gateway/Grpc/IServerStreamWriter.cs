namespace ActorStore.Gateway.Grpc;

/// <summary>Sends response messages of a server-streaming or bidirectional call.</summary>
/// <remarks>
/// Each write is flushed to the client before the returned task completes. Calls must not overlap:
/// one writer at a time, awaiting each write before starting the next (handlers that produce
/// messages from several tasks funnel them through a channel or a lock first).
/// </remarks>
public interface IServerStreamWriter<in T>
{
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a message to the response without sending it yet: the next <see cref="WriteAsync"/> sends it along, so a
    /// writer that knows more messages are ready pays for one flush instead of one each.
    /// </summary>
    void WriteWithoutFlush(T message);
}
