using System.Threading.Channels;

namespace ActorStore.Server.V2;

/// <summary>
/// One waiting v2 watch (wait=true): its events arrive on <see cref="Events"/>. A plain watcher takes one event and is
/// done; a streaming one takes every event until it is removed. One that falls 100 events behind is dropped, as etcd
/// drops it, and its channel completes.
/// </summary>
public sealed class V2Watcher
{
    private const int Buffer = 100;
    private readonly Channel<V2Event> _events = Channel.CreateBounded<V2Event>(Buffer);
    private readonly Action<V2Watcher> _remove;
    private int _removed;

    internal V2Watcher(string key, bool recursive, bool stream, ulong sinceIndex, ulong startIndex, Action<V2Watcher> remove)
    {
        Key = key;
        Recursive = recursive;
        Stream = stream;
        SinceIndex = sinceIndex;
        StartIndex = startIndex;
        _remove = remove;
    }

    public string Key { get; }

    public bool Recursive { get; }

    public bool Stream { get; }

    public ulong SinceIndex { get; }

    /// <summary>The store's index when the watch began: etcd's X-Etcd-Index of a watch.</summary>
    public ulong StartIndex { get; }

    public ChannelReader<V2Event> Events => _events.Reader;

    /// <summary>Stops the watch: the hub forgets it and the channel completes.</summary>
    public void Remove()
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
        {
            _remove(this);
            _events.Writer.TryComplete();
        }
    }

    internal bool IsRemoved => Volatile.Read(ref _removed) != 0;

    /// <summary>Delivers the event if this watcher wants it; true when it was delivered.</summary>
    internal bool Notify(V2Event e, bool originalPath, bool deleted)
    {
        if ((Recursive || originalPath || deleted) && e.Index >= SinceIndex)
        {
            if (!_events.Writer.TryWrite(e))
            {
                Remove();
            }
            return true;
        }
        return false;
    }

    /// <summary>An event found in the history is delivered at once, and the watcher is done.</summary>
    internal void DeliverFromHistory(V2Event e)
    {
        _events.Writer.TryWrite(e);
        if (!Stream)
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>A watcher that is not streaming completes after its one event.</summary>
    internal void Complete() => _events.Writer.TryComplete();
}
