using Etcdserverpb;
using Xunit;

namespace ActorStore.Server.Tests.Watch;

/// <summary>Reads a watch stream's responses one at a time, failing a test that waits too long.</summary>
internal sealed class ResponseReader(IAsyncEnumerable<WatchResponse> responses) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly IAsyncEnumerator<WatchResponse> _responses = responses.GetAsyncEnumerator();
    private Task<bool>? _pending;

    public async Task<WatchResponse> NextAsync()
    {
        var next = _pending ??= _responses.MoveNextAsync().AsTask();
        var more = await next.WaitAsync(Timeout);
        _pending = null;
        Assert.True(more, "the responses ended");
        return _responses.Current;
    }

    /// <summary>True when no response arrives within <paramref name="wait"/> (the pending read is kept for later).</summary>
    public async Task<bool> NothingWithinAsync(TimeSpan wait)
    {
        _pending ??= _responses.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(_pending, Task.Delay(wait));
        return finished != _pending;
    }

    /// <summary>True once the responses ended.</summary>
    public async Task<bool> EndsAsync()
    {
        var next = _pending ??= _responses.MoveNextAsync().AsTask();
        var more = await next.WaitAsync(Timeout);
        _pending = null;
        return !more;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pending is null)
        {
            await _responses.DisposeAsync();
        }
    }
}
