using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Etcdserverpb;

namespace ActorStore.Server.Watch;

/// <summary>
/// The responses waiting to go out on one watch stream, written by the hub and the stream's watchers, read by the
/// stream's sender. Watchers check <see cref="HasRoom"/> before writing and wait for <see cref="OutboxHasRoom"/> when
/// it is full, so a slow client makes its watchers fall back to history instead of growing this queue.
/// </summary>
internal sealed class WatchOutbox
{
    /// <summary>Queued items above which watchers hold back.</summary>
    public const int HighWater = 1024;

    /// <summary>Waiting watchers are woken once the queue is back below this.</summary>
    public const int LowWater = HighWater / 2;

    private readonly Channel<OutboxItem> _queue =
        Channel.CreateUnbounded<OutboxItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<IActorRef> _waiting = new();
    private int _pending;

    public bool HasRoom => Volatile.Read(ref _pending) < HighWater;

    /// <summary>
    /// Whether more responses are queued behind the one just read (which counts until the reader asks for the next):
    /// the sender can hold its flush for them.
    /// </summary>
    public bool HasQueued => Volatile.Read(ref _pending) > 1;

    public void Write(WatchResponse response)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new OutboxItem(response, null)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Writes the responses back to back, with nothing of another watcher in between (fragments).</summary>
    public void WriteAll(WatchResponse[] responses)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new OutboxItem(null, responses)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary><paramref name="watcher"/> gets <see cref="OutboxHasRoom"/> once the queue drained below the low-water mark.</summary>
    public void NotifyWhenRoom(IActorRef watcher)
    {
        _waiting.Enqueue(watcher);
        // The reader may have drained the queue between the caller's check and the enqueue.
        if (Volatile.Read(ref _pending) < LowWater)
        {
            WakeWaiters();
        }
    }

    /// <summary>No more responses: the reader finishes after the queued ones.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>The responses in order; an item counts as sent once the caller asks for the next one.</summary>
    public async IAsyncEnumerable<WatchResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item.Single is { } single)
                {
                    yield return single;
                }
                else
                {
                    foreach (var response in item.Many!)
                    {
                        yield return response;
                    }
                }
                if (Interlocked.Decrement(ref _pending) < LowWater && !_waiting.IsEmpty)
                {
                    WakeWaiters();
                }
            }
        }
    }

    private void WakeWaiters()
    {
        while (_waiting.TryDequeue(out var watcher))
        {
            watcher.Tell(OutboxHasRoom.Instance);
        }
    }

    private readonly record struct OutboxItem(WatchResponse? Single, WatchResponse[]? Many);
}
