using Grpc.Net.Client;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// Watchers of every shape over gRPC (prefix, range, single key, from history, prev_kv, filters, one that disconnects
/// and resumes) while concurrent writers put, delete and txn on overlapping keys of a single member; every recording
/// must keep every guarantee of <see cref="WatchHistoryChecker"/> against the history read back from the store.
/// </summary>
[Collection(WatchLeaseLockCollection.Name)]
public sealed class WatchHistoryTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(10);

    private readonly PairFixture _pair;
    private readonly ITestOutputHelper _output;

    public WatchHistoryTests(PairFixture pair, ITestOutputHelper output)
    {
        _pair = pair;
        _output = output;
    }

    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Watchers_of_every_shape_keep_every_guarantee_under_concurrent_writes(MemberKind kind)
    {
        var node = kind == MemberKind.Etcd ? _pair.Etcd : _pair.ActorStore;
        var prefix = $"wh{Guid.NewGuid():N}"[..10] + "/";
        using var connection = GrpcChannel.ForAddress(node.ClientUrl);
        using var resumeConnection = GrpcChannel.ForAddress(node.ClientUrl);
        var workload = new WatchWorkload([connection, connection, resumeConnection], prefix);
        var everything = WatchSpec.Prefix(prefix, prevKv: true);
        var baseRevision = await WriteHistoryReader.CurrentRevisionAsync(connection);

        var live = new Dictionary<string, GrpcWatcher>
        {
            ["prefix+prev_kv"] = await GrpcWatcher.StartAsync(connection, everything, 0),
            ["range k2..k5"] = await GrpcWatcher.StartAsync(connection, new WatchSpec(workload.Key(2), workload.Key(5)), 0),
            ["key k3 from base"] = await GrpcWatcher.StartAsync(connection, new WatchSpec(workload.Key(3)), baseRevision + 1),
            ["noput+prev_kv"] = await GrpcWatcher.StartAsync(connection, WatchSpec.Prefix(prefix, prevKv: true, noPut: true), 0),
            ["nodelete"] = await GrpcWatcher.StartAsync(resumeConnection, WatchSpec.Prefix(prefix, noDelete: true), 0),
            ["range k6..end"] = await GrpcWatcher.StartAsync(resumeConnection, new WatchSpec(workload.Key(6), WatchSpec.Prefix(prefix).RangeEnd), baseRevision + 1),
        };
        var resumed = new List<WatchSegment>();
        var resuming = await GrpcWatcher.StartAsync(connection, everything, 0);
        try
        {
            var writing = workload.RunAsync(writers: 3, opsPerWriter: 40, seed: 4);

            // Disconnect once the resuming watcher has seen some events, and come back on another connection where it left off.
            await resuming.WaitForRevisionAsync(baseRevision + 20, CatchUp);
            resumed.Add(await resuming.StopAsync());
            resuming = await GrpcWatcher.StartAsync(resumeConnection, everything, resuming.LastEventRevision + 1);
            await writing;
            var lastRevision = await WriteHistoryReader.CurrentRevisionAsync(connection);
            var middle = (baseRevision + lastRevision) / 2;

            // Watches of the past, created once every write is done.
            live["prefix+prev_kv from base"] = await GrpcWatcher.StartAsync(connection, everything, baseRevision + 1);
            live["range k2..k5 from middle"] = await GrpcWatcher.StartAsync(resumeConnection, new WatchSpec(workload.Key(2), workload.Key(5)), middle);
            live["noput from middle"] = await GrpcWatcher.StartAsync(resumeConnection, WatchSpec.Prefix(prefix, noPut: true), middle);

            var history = await WriteHistoryReader.ReadAsync(connection, WatchSpec.Prefix(prefix), baseRevision, lastRevision);
            _output.WriteLine($"{kind}: {workload.Successes} writes ({workload.Failures} failed), revisions {baseRevision + 1}..{lastRevision}, {history.Events.Count()} events");
            Assert.Equal(0, workload.Failures);
            Assert.True(history.Events.Count() > 100, "the workload made too few events");
            Assert.Contains(Enumerable.Range(1, (int)(lastRevision - baseRevision)), offset => history.EventsAt(baseRevision + offset).Count > 1);

            var recorded = new List<RecordedWatch>();
            foreach (var (name, watcher) in live.Append(new("resumed", resuming)))
            {
                var last = WatchHistoryChecker.LastWantedRevision(history, watcher.Spec, watcher.StartRevision);
                await watcher.WaitForRevisionAsync(last, CatchUp);
                var segment = await watcher.StopAsync();
                IReadOnlyList<WatchSegment> segments = name == "resumed" ? [.. resumed, segment] : [segment];
                recorded.Add(new RecordedWatch(name, watcher.Spec, segments, Complete: true));
                _output.WriteLine($"{name}: {segments.Sum(s => s.Responses.Sum(r => r.Events.Count))} events in {segments.Sum(s => s.Responses.Count)} responses; stream ended with {watcher.Failure?.Message ?? "-"}");
            }
            var violations = WatchHistoryChecker.CheckAll(history, recorded);
            Assert.True(violations.Count == 0, $"{violations.Count} violations:\n{string.Join('\n', violations.Take(30))}");
        }
        finally
        {
            await resuming.DisposeAsync();
            foreach (var watcher in live.Values)
            {
                await watcher.DisposeAsync();
            }
        }
    }
}
