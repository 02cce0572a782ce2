using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Gateway.Tests.Grpc;
using ActorStore.Gateway.Tests.Http2;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.EndToEnd;

/// <summary>
/// --grpc-keepalive-min-time at the HTTP/2 level, as grpc-go enforces it in etcd: a client that pings too often
/// gets its pings acknowledged, then GOAWAY ENHANCE_YOUR_CALM "too_many_pings", and the connection closes.
/// </summary>
public sealed class KeepAlivePolicyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinTime = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Four_pings_without_a_call_open_end_the_connection_as_etcd_ends_it()
    {
        var (actorStore, etcd) = await PairFixture.StartBothAsync(StartAsync);
        await using (actorStore)
        await using (etcd)
        {
            var answers = await Task.WhenAll(RapidPingsAsync(actorStore.ClientPort), RapidPingsAsync(etcd.ClientPort));

            Assert.Equal(["ping ack 1", "ping ack 2", "ping ack 3", "ping ack 4", "goaway last=0 code=11 too_many_pings"], answers[1]);
            Assert.Equal(answers[1], answers[0]);
        }
    }

    [Fact]
    public async Task With_a_watch_open_pings_at_the_minimum_interval_are_fine_and_three_fast_ones_end_the_connection_as_on_etcd()
    {
        var (actorStore, etcd) = await PairFixture.StartBothAsync(StartAsync);
        await using (actorStore)
        await using (etcd)
        {
            var answers = await Task.WhenAll(PingsDuringWatchAsync(actorStore.ClientPort), PingsDuringWatchAsync(etcd.ClientPort));

            Assert.Equal(
                ["created", "ping ack 1", "ping ack 2", "ping ack 3", "ping ack 4", "ping ack 5", "ping ack 6", "goaway last=1 code=11 too_many_pings"],
                answers[1]);
            Assert.Equal(answers[1], answers[0]);
        }
    }

    private static Task<MemberNode> StartAsync(MemberKind kind) =>
        MemberNode.StartAsync(kind, "--grpc-keepalive-min-time", $"{MinTime.TotalSeconds}s");

    private static async Task<List<string>> RapidPingsAsync(int port)
    {
        await using var client = await RawHttp2Client.ConnectAsync(port);
        await client.SendAsync(Concat([.. Enumerable.Range(1, 4).Select(PingFrame)]));
        return DescribePingAcksAndGoAways(await client.ReadUntilClosedAsync(Patience));
    }

    /// <summary>
    /// A watch whose created response the server sends (which forgives earlier strikes), three pings spaced beyond the
    /// minimum interval, then three at once.
    /// </summary>
    private static async Task<List<string>> PingsDuringWatchAsync(int port)
    {
        await using var client = await RawHttp2Client.ConnectAsync(port);
        var create = new WatchRequest { CreateRequest = new WatchCreateRequest { Key = ByteString.CopyFromUtf8("keepalive") } };
        await client.SendAsync(Concat(
            HeadersFrame(1, HpackBlockBuilder.GrpcRequest(port, "/etcdserverpb.Watch/Watch"), endStream: false),
            DataFrame(1, GrpcFrames.Frame(create), endStream: false)));
        var created = WatchResponse.Parser.ParseFrom((await client.ReadGrpcMessagesAsync(1, 1, Patience))[0]);
        var answers = new List<string> { created.Created ? "created" : created.ToString() };
        for (var ping = 1; ping <= 3; ping++)
        {
            await Task.Delay(MinTime + TimeSpan.FromMilliseconds(200));
            await client.SendAsync(PingFrame(ping));
            answers.AddRange(DescribePingAcksAndGoAways([await client.ReadFrameAsync(Patience)]));
        }

        await client.SendAsync(Concat([.. Enumerable.Range(4, 3).Select(PingFrame)]));
        answers.AddRange(DescribePingAcksAndGoAways(await client.ReadUntilClosedAsync(Patience)));
        return answers;
    }
}
