using Google.Protobuf;

namespace ActorStore.Gateway.Grpc;

internal sealed class RequestStreamReader<T>(GrpcCallContext call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? _current;
    private bool _ended;

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned a message yet.");

    public async ValueTask<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return false;
        }

        _current = await call.ReadMessageAsync(parser, cancellationToken).ConfigureAwait(false);
        _ended = _current is null;
        return !_ended;
    }
}
