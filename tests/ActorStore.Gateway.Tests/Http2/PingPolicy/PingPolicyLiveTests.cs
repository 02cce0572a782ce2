using System.Net;
using System.Net.Http;
using ActorStore.Gateway.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2.PingPolicy;

/// <summary>The keepalive policy on a live host, at the HTTP/2 level.</summary>
public sealed class PingPolicyLiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinTime = TimeSpan.FromMilliseconds(500);

    private GrpcHost _host = null!;

    private int Port => _host.Ports[0];

    public async Task InitializeAsync() => _host = await GrpcHost.StartAsync(new GrpcHostOptions
    {
        Urls = ["http://127.0.0.1:0"],
        Server = new GrpcServerOptions { KeepAliveMinTime = MinTime },
        MapServices = _ => { },
        ConfigureApplication = app => app.Run(async context =>
        {
            // A request that stays open until the client ends its body: an active stream.
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("done");
        }),
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Four_pings_without_streams_get_their_acks_then_goaway_too_many_pings_and_the_connection_closes()
    {
        await using var client = await RawHttp2Client.ConnectAsync(Port);

        await client.SendAsync(Concat([.. Enumerable.Range(1, 4).Select(PingFrame)]));
        var frames = await client.ReadUntilClosedAsync(Patience);

        Assert.Equal(
            ["ping ack 1", "ping ack 2", "ping ack 3", "ping ack 4", "goaway last=0 code=11 too_many_pings"],
            DescribePingAcksAndGoAways(frames));
    }

    [Fact]
    public async Task With_a_stream_open_pings_at_the_minimum_interval_are_fine_and_faster_ones_end_the_connection()
    {
        await using var client = await RawHttp2Client.ConnectAsync(Port);
        await client.SendAsync(HeadersFrame(1, OpenRequest(Port), endStream: false));
        for (var ping = 1; ping <= 4; ping++)
        {
            await Task.Delay(MinTime + TimeSpan.FromMilliseconds(100));
            await client.SendAsync(PingFrame(ping));
            Assert.Equal("ping ack " + ping, await NextPingAckOrGoAwayAsync(client));
        }

        await client.SendAsync(Concat([.. Enumerable.Range(5, 4).Select(PingFrame)]));
        var frames = await client.ReadUntilClosedAsync(Patience);

        Assert.Equal(
            ["ping ack 5", "ping ack 6", "ping ack 7", "goaway last=1 code=11 too_many_pings"],
            DescribePingAcksAndGoAways(frames));
    }

    [Fact]
    public async Task Http1_and_h2c_requests_pass_through_the_policy()
    {
        using var http1 = new HttpClient { DefaultRequestVersion = HttpVersion.Version11 };
        using var h2c = new HttpClient
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        foreach (var client in new[] { http1, h2c })
        {
            using var response = await client.PostAsync($"http://127.0.0.1:{Port}/x", new StringContent("body"));
            Assert.Equal("done", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A plain POST whose body the client never ends (the host answers unknown gRPC methods at once).</summary>
    private static byte[] OpenRequest(int port) => new HpackBlockBuilder()
        .Indexed(3) // :method POST
        .Indexed(6) // :scheme http
        .Literal(HpackBlockBuilder.WithoutIndexing, 4, "/open")
        .Literal(HpackBlockBuilder.WithoutIndexing, 1, $"127.0.0.1:{port}")
        .ToArray();

    private static async Task<string> NextPingAckOrGoAwayAsync(RawHttp2Client client)
    {
        while (true)
        {
            if (DescribePingAcksAndGoAways([await client.ReadFrameAsync(Patience)]) is [var frame])
            {
                return frame;
            }
        }
    }
}
