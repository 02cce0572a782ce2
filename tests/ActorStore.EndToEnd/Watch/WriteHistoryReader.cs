using Etcdserverpb;
using Grpc.Net.Client;
using Mvccpb;

namespace ActorStore.EndToEnd.Watch;

/// <summary>Reads the ground truth of a range back from a server: its full state at every revision, turned into events.</summary>
public static class WriteHistoryReader
{
    public static async Task<WriteHistory> ReadAsync(GrpcChannel channel, WatchSpec range, long baseRevision, long lastRevision)
    {
        var kv = new KV.KVClient(channel);
        var states = new List<IReadOnlyList<KeyValue>>();
        for (var revision = baseRevision; revision <= lastRevision; revision++)
        {
            var response = await kv.RangeAsync(
                new RangeRequest { Key = WriteHistory.Bytes(range.Key), RangeEnd = WriteHistory.Bytes(range.RangeEnd), Revision = revision },
                deadline: DateTime.UtcNow.AddSeconds(10));
            states.Add(response.Kvs.ToArray());
        }
        return WriteHistory.FromStates(baseRevision, states);
    }

    /// <summary>The store's current revision, read linearizably.</summary>
    public static async Task<long> CurrentRevisionAsync(GrpcChannel channel)
    {
        var response = await new KV.KVClient(channel).RangeAsync(
            new RangeRequest { Key = WriteHistory.Bytes("\0"), Limit = 1, CountOnly = true },
            deadline: DateTime.UtcNow.AddSeconds(10));
        return response.Header.Revision;
    }
}
