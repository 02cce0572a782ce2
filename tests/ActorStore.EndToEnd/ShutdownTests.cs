using System.Diagnostics;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.EndToEnd.Watch;
using Grpc.Net.Client;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>How fast a member stops on SIGTERM while clients hold streams open (etcd: well under a second).</summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData(MemberKind.Etcd)]
    [InlineData(MemberKind.ActorStore)]
    public async Task Sigterm_with_watches_open_exits_within_a_second(MemberKind kind)
    {
        await using var node = await MemberNode.StartAsync(kind);
        using var channel = GrpcChannel.ForAddress(node.ClientUrl);
        await using var first = await GrpcWatcher.StartAsync(channel, WatchSpec.Prefix("shutdown/"), 0);
        await using var second = await GrpcWatcher.StartAsync(channel, new WatchSpec("shutdown/key"), 0);

        var stopping = Stopwatch.StartNew();
        await node.Process.StopAsync();
        stopping.Stop();

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"{kind} took {stopping.Elapsed} to exit with two watches open");
    }
}
