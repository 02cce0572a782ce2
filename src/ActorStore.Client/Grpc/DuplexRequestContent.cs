using System.Net;
using System.Net.Http;

namespace ActorStore.Client.Grpc;

/// <summary>
/// A request body written while the call runs: HttpClient hands over the HTTP/2 request stream when it starts
/// sending, writers put frames on it, and the body ends (END_STREAM) when the writer completes.
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Stream> StreamTask => _stream.Task;

    public bool IsCompleted => _completed.Task.IsCompleted;

    /// <summary>Ends the request body.</summary>
    public void Complete() => _completed.TrySetResult();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), _completed))
        {
            await _completed.Task.ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        // A writer still waiting for the stream learns that the request is gone.
        _stream.TrySetException(new ObjectDisposedException(nameof(DuplexRequestContent)));
        _completed.TrySetResult();
        base.Dispose(disposing);
    }
}
