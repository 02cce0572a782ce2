using System.Diagnostics;
using ActorStore.EndToEnd.Infrastructure;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd.Upkeep;

/// <summary>
/// Defragment on ActorStore never stops writes (etcd's stops the world, etcd#9222): a put load runs through
/// repeated defragments and no put fails; afterwards Status reports the smaller size that compaction left in use.
/// </summary>
public sealed class DefragmentTests
{
    private const int Writers = 4;

    [Fact]
    public async Task Puts_go_on_during_defragments_and_status_then_reports_the_smaller_size()
    {
        await using var node = await MemberNode.StartAsync(MemberKind.ActorStore, "--snapshot-count", "500");
        using var channel = GrpcChannel.ForAddress(node.ClientUrl);
        var kv = new KV.KVClient(channel);
        var maintenance = new Maintenance.MaintenanceClient(channel);
        var value = ByteString.CopyFrom(new byte[4096]);
        for (var i = 0; i < 200; i++)
        {
            await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("defrag/" + (i % 20)), Value = value });
        }

        using var stop = new CancellationTokenSource();
        var latencies = new List<double>[Writers];
        var load = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            latencies[writer] = [];
            var failures = new List<string>();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"load/{writer}/{i % 50}"), Value = value },
                        deadline: DateTime.UtcNow.AddSeconds(5));
                }
                catch (Grpc.Core.RpcException e)
                {
                    failures.Add(e.Status.ToString());
                }
                latencies[writer].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return failures;
        })).ToArray();

        var current = await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("defrag/0") });
        await kv.CompactAsync(new CompactionRequest { Revision = current.Header.Revision, Physical = true });
        for (var round = 0; round < 5; round++)
        {
            await maintenance.DefragmentAsync(new DefragmentRequest());
            await Task.Delay(200);
        }
        await stop.CancelAsync();
        var failures = (await Task.WhenAll(load)).SelectMany(f => f).ToList();
        Assert.Empty(failures);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        Assert.True(all.Length > 50, $"only {all.Length} puts ran during the defragments");
        Console.WriteLine($"puts during defragment: {all.Length}, p99 {all[(int)(all.Length * 0.99)]:F1} ms");

        // Without the load: history written, compaction frees it and only a defragment gives the space back.
        for (var i = 0; i < 100; i++)
        {
            await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("defrag/" + (i % 10)), Value = value });
        }
        current = await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("defrag/0") });
        var before = await maintenance.StatusAsync(new StatusRequest());
        await kv.CompactAsync(new CompactionRequest { Revision = current.Header.Revision, Physical = true });
        var compacted = await maintenance.StatusAsync(new StatusRequest());
        Assert.Equal(before.DbSize, compacted.DbSize);
        Assert.True(compacted.DbSizeInUse < before.DbSizeInUse, $"in use {compacted.DbSizeInUse} after compaction, {before.DbSizeInUse} before");
        await maintenance.DefragmentAsync(new DefragmentRequest());
        var after = await maintenance.StatusAsync(new StatusRequest());
        Assert.Equal(after.DbSizeInUse, after.DbSize);
        Assert.True(after.DbSize < before.DbSize, $"dbSize {after.DbSize} after defragment, {before.DbSize} before");
        var defrag = CommandResult.AssertOk(await node.Etcdctl.RunAsync("defrag"));
        Assert.Equal($"Finished defragmenting etcd member[{node.ClientUrl}]\n", defrag.StdOut);
    }
}
