using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Watch;

/// <summary>Splits a large event response into fragments for watchers that asked for them (etcd's fragment option).</summary>
internal static class WatchFragments
{
    /// <summary>
    /// Null when <paramref name="response"/> goes out whole: it is smaller than <paramref name="maxBytes"/> or has a
    /// single event. Otherwise pieces that each stay under the limit (unless one event alone is larger), in order,
    /// all but the last marked as fragments.
    /// </summary>
    public static WatchResponse[]? Split(WatchResponse response, long maxBytes)
    {
        if (response.Events.Count < 2 || response.CalculateSize() < maxBytes)
        {
            return null;
        }
        var shell = new WatchResponse { Header = response.Header, WatchId = response.WatchId, Fragment = true };
        var shellSize = shell.CalculateSize();
        var pieces = new List<WatchResponse>();
        var current = shell.Clone();
        long size = shellSize;
        foreach (var evt in response.Events)
        {
            var eventSize = EventFieldSize(evt);
            if (current.Events.Count > 0 && size + eventSize >= maxBytes)
            {
                pieces.Add(current);
                current = shell.Clone();
                size = shellSize;
            }
            current.Events.Add(evt);
            size += eventSize;
        }
        current.Fragment = false;
        pieces.Add(current);
        return pieces.ToArray();
    }

    /// <summary>An event's share of the response: its tag, its length prefix, its bytes.</summary>
    private static long EventFieldSize(Mvccpb.Event evt)
    {
        var length = evt.CalculateSize();
        return 1 + CodedOutputStream.ComputeLengthSize(length) + length;
    }
}
