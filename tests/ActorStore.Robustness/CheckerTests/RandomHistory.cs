using ActorStore.Robustness.History;

namespace ActorStore.Robustness.CheckerTests;

/// <summary>
/// A valid random run, as the workload would record it from a correct store: each client calls one operation at a
/// time, each takes effect at a random moment between its call and return, and a share of the writes fail with an
/// unknown outcome — half of them never take effect, half take effect, some well after the client gave up.
/// </summary>
internal static class RandomHistory
{
    public static RecordedRun Generate(int seed, int clients, int operations, int keys, double unknownWriteShare)
    {
        var random = new Random(seed);
        var planned = new List<(OperationRecord Request, long EffectAt, bool Known, bool Applied)>();
        for (var client = 1; client <= clients; client++)
        {
            var time = (long)random.Next(50);
            for (var id = 1; id <= operations / clients; id++)
            {
                var type = PickType(random);
                var key = $"k{random.Next(keys)}";
                var duration = 10L + random.Next(300);
                var request = new OperationRecord
                {
                    Client = client, Member = $"m{client % 3 + 1}", Id = id, Type = type,
                    Key = type == OperationType.Range ? RecordedRun.KeyPrefix : key,
                    Key2 = type == OperationType.Txn2 ? $"k{(int.Parse(key[1..]) + 1 + random.Next(keys - 1)) % keys}" : "",
                    Value = type is OperationType.Get or OperationType.Range or OperationType.Delete ? "" : $"c{client}-{id}",
                    Call = time, Return = time + duration, Ok = false,
                };
                var unknown = request.IsWrite && random.NextDouble() < unknownWriteShare / WriteShare;
                var applied = !unknown || random.Next(2) == 0;
                var effectAt = unknown && applied
                    ? time + 1 + random.Next((int)duration + 2000) // may well be after the client gave up
                    : time + 1 + random.Next((int)duration - 1);
                planned.Add((request, effectAt, !unknown, applied));
                time += duration + random.Next(20);
            }
        }

        var store = new SimulatedStore();
        var recorded = new List<OperationRecord>();
        foreach (var (request, _, known, applied) in planned.OrderBy(p => p.EffectAt))
        {
            // A cas expecting the current value half the time, as a client that just read it would.
            var sent = request.Type == OperationType.Cas
                ? request with { Expect = random.Next(2) == 0 && store.Get(request.Key) is { } current ? current.Value : $"c{random.Next(clients) + 1}-{random.Next(20)}" }
                : request;
            var served = applied ? store.Perform(sent) : sent;
            recorded.Add(known ? served : sent with { Error = "context deadline exceeded" });
        }
        var members = new[] { "m1", "m2", "m3" };
        var watchResponses = members.SelectMany(member => store.EventsByRevision.Select(events => new WatchResponseRecord(member, 0, 1, events))).ToArray();
        return new RecordedRun(
            recorded.OrderBy(op => op.Return).ToArray(),
            watchResponses,
            members.Select(member => new WatchEndRecord(member, true, store.Revision)).ToArray(),
            store.States,
            new FinalRecord(store.Revision, recorded.Count));
    }

    // get 20%, range 10%, put 25%, delete 10%, cas 10%, create 10%, txn2 15%.
    private const double WriteShare = 0.7;

    private static OperationType PickType(Random random) => random.Next(100) switch
    {
        < 20 => OperationType.Get,
        < 30 => OperationType.Range,
        < 55 => OperationType.Put,
        < 65 => OperationType.Delete,
        < 75 => OperationType.Cas,
        < 85 => OperationType.Create,
        _ => OperationType.Txn2,
    };
}
