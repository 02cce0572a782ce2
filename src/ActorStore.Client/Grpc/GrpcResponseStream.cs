using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace ActorStore.Client.Grpc;

/// <summary>
/// The response messages of a streaming call, read one at a time with <see cref="MoveNext"/> or with await foreach.
/// The end of the stream is the end of the call: a failed call throws its RpcException from MoveNext.
/// Not safe for concurrent reads.
/// </summary>
public sealed class GrpcResponseStream<T> : IAsyncEnumerable<T>, IAsyncDisposable
    where T : class, IMessage<T>
{
    private readonly GrpcClientCall _call;
    private readonly MessageParser<T> _parser;
    private readonly bool _ownsCall;
    private T? _current;

    internal GrpcResponseStream(GrpcClientCall call, MessageParser<T> parser, bool ownsCall)
    {
        _call = call;
        _parser = parser;
        _ownsCall = ownsCall;
    }

    public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned a message yet.");

    /// <summary>Reads the next message; false once the server ended the call with OK. Cancelling the token cancels the call.</summary>
    public async ValueTask<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        _current = await _call.ReadMessageAsync(_parser, cancellationToken).ConfigureAwait(false);
        return _current is not null;
    }

    public async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return Current;
        }
    }

    /// <summary>Cancels the call if it is still running (server streaming calls; a duplex call is disposed as a whole).</summary>
    public ValueTask DisposeAsync()
    {
        if (_ownsCall)
        {
            _call.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
