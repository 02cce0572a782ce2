using System.Net;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Http2;

/// <summary>Requests with the :authority etcdctl 3.4 sends, over real sockets to Kestrel.</summary>
public sealed class AuthorityRepairLiveTests(AuthorityRepairServers servers) : IClassFixture<AuthorityRepairServers>
{
    private const int ProtocolError = 0x1;

    [Fact]
    public async Task Kestrel_alone_resets_a_request_whose_authority_is_a_url()
    {
        await using var client = await RawHttp2Client.ConnectAsync(servers.PlainPort);

        await client.SendAsync(HeadersFrame(1, RequestWithLiteralAuthority($"http://127.0.0.1:{servers.PlainPort}")));
        var outcome = await client.ReadOutcomeAsync(1);

        Assert.False(outcome.IsOk);
        Assert.Equal(ProtocolError, outcome.ResetCode);
    }

    [Fact]
    public async Task The_repair_lets_such_requests_through_with_the_authority_inside_the_url()
    {
        var port = servers.RepairingPort;
        await using var client = await RawHttp2Client.ConnectAsync(port);

        await client.SendAsync(HeadersFrame(1, RequestWithLiteralAuthority($"http://127.0.0.1:{port}")));
        var first = await client.ReadOutcomeAsync(1);

        Assert.True(first.IsOk, $"reset {first.ResetCode}, goaway {first.GoAwayCode}");
        Assert.Equal($"127.0.0.1:{port}", first.Body);

        // Index 62 is the newest dynamic table entry: the first request's :authority, repaired on the server's side.
        await client.SendAsync(HeadersFrame(3, new HpackBlockBuilder().Indexed(2).Indexed(6).Indexed(4).Indexed(62).ToArray()));
        var second = await client.ReadOutcomeAsync(3);

        Assert.True(second.IsOk, $"reset {second.ResetCode}, goaway {second.GoAwayCode}");
        Assert.Equal($"127.0.0.1:{port}", second.Body);

        // A later literal with a path and without indexing, sent as HEADERS + CONTINUATION with padding.
        var third = new HpackBlockBuilder().Indexed(2).Indexed(6).Indexed(4)
            .Literal(HpackBlockBuilder.WithoutIndexing, 1, $"http://localhost:{port}/v3", huffman: true).ToArray();
        await client.SendAsync(Http2TestFrames.Concat(
            HeadersFrame(5, third[..4], endHeaders: false, padding: 6),
            ContinuationFrame(5, third[4..], endHeaders: true)));
        var thirdOutcome = await client.ReadOutcomeAsync(5);

        Assert.True(thirdOutcome.IsOk, $"reset {thirdOutcome.ResetCode}, goaway {thirdOutcome.GoAwayCode}");
        Assert.Equal($"localhost:{port}", thirdOutcome.Body);
    }

    [Fact]
    public async Task Valid_authorities_pass_untouched()
    {
        await using var client = await RawHttp2Client.ConnectAsync(servers.RepairingPort);

        await client.SendAsync(HeadersFrame(1, RequestWithLiteralAuthority("example.test:1234")));
        var outcome = await client.ReadOutcomeAsync(1);

        Assert.True(outcome.IsOk);
        Assert.Equal("example.test:1234", outcome.Body);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public async Task Http_clients_work_through_the_repair(int major, int minor)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            DefaultRequestVersion = new Version(major, minor),
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(10),
        };

        using var response = await http.GetAsync($"http://127.0.0.1:{servers.RepairingPort}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(major, minor), response.Version);
        Assert.Equal($"127.0.0.1:{servers.RepairingPort}", await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET / with a Huffman-coded literal :authority indexed into the dynamic table, as grpc-go sends it.</summary>
    private static byte[] RequestWithLiteralAuthority(string authority) => new HpackBlockBuilder()
        .Indexed(2).Indexed(6).Indexed(4)
        .Literal(HpackBlockBuilder.IncrementalIndexing, 1, authority, huffman: true)
        .ToArray();
}
