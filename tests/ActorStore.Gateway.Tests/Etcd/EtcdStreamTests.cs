using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ActorStore.Gateway.Tests.Grpc;
using ActorStore.Gateway.Tests.Http2;
using Etcdserverpb;
using Google.Protobuf;
using V3lockpb;
using Xunit;
using static ActorStore.Gateway.Tests.Http2.Http2TestFrames;

namespace ActorStore.Gateway.Tests.Etcd;

/// <summary>etcd's streams at the HTTP/2 level, as real clients drive them: frames the way grpc-go sends them.</summary>
public sealed class EtcdStreamTests(EtcdGatewayServer server) : IClassFixture<EtcdGatewayServer>
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_watch_requests_in_one_data_frame_are_both_answered_without_more_from_the_client()
    {
        await using var host = await server.StartHostAsync();
        await using var client = await RawHttp2Client.ConnectAsync(host.Ports[0]);
        var both = GrpcFrames.Frame(Create("one/")).Concat(GrpcFrames.Frame(Create("two/"))).ToArray();

        await client.SendAsync(Http2TestFrames.Concat(
            HeadersFrame(1, HpackBlockBuilder.GrpcRequest(host.Ports[0], "/etcdserverpb.Watch/Watch"), endStream: false),
            DataFrame(1, both, endStream: false)));
        var responses = (await client.ReadGrpcMessagesAsync(1, 2, Answer)).Select(WatchResponse.Parser.ParseFrom).ToArray();

        Assert.All(responses, response => Assert.True(response.Created));
        Assert.Equal(2, responses.Select(response => response.WatchId).Distinct().Count());
    }

    [Fact]
    public async Task Two_keep_alives_in_one_data_frame_are_both_answered_without_more_from_the_client()
    {
        var lease = await server.Member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 });
        await using var host = await server.StartHostAsync();
        await using var client = await RawHttp2Client.ConnectAsync(host.Ports[0]);
        var keepAlive = GrpcFrames.Frame(new LeaseKeepAliveRequest { ID = lease.ID });

        await client.SendAsync(Http2TestFrames.Concat(
            HeadersFrame(1, HpackBlockBuilder.GrpcRequest(host.Ports[0], "/etcdserverpb.Lease/LeaseKeepAlive"), endStream: false),
            DataFrame(1, [.. keepAlive, .. keepAlive], endStream: false)));
        var responses = (await client.ReadGrpcMessagesAsync(1, 2, Answer)).Select(LeaseKeepAliveResponse.Parser.ParseFrom).ToArray();

        Assert.All(responses, response => Assert.Equal((lease.ID, 60L), (response.ID, response.TTL)));
    }

    [Fact]
    public async Task Half_closed_watch_keeps_its_events_and_ends_with_trailers_promptly_when_the_server_stops()
    {
        var host = await server.StartHostAsync();
        await using var client = await RawHttp2Client.ConnectAsync(host.Ports[0]);
        await client.SendAsync(Http2TestFrames.Concat(
            HeadersFrame(1, HpackBlockBuilder.GrpcRequest(host.Ports[0], "/etcdserverpb.Watch/Watch"), endStream: false),
            DataFrame(1, GrpcFrames.Frame(Create("half/")), endStream: false),
            DataFrame(1, [], endStream: true)));
        var created = WatchResponse.Parser.ParseFrom((await client.ReadGrpcMessagesAsync(1, 1, Answer)).Single());

        // Like etcd, the watch outlives the client's half-close.
        await server.Member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("half/k"), Value = ByteString.CopyFromUtf8("v") });
        var change = WatchResponse.Parser.ParseFrom((await client.ReadGrpcMessagesAsync(1, 1, Answer)).Single());
        var ending = client.ReadOutcomeAsync(1, untilGoAway: false);
        var stopping = Stopwatch.StartNew();
        var stop = host.DisposeAsync().AsTask();
        var outcome = await ending;

        // As grpc-go and Grpc.Net.Client do once their last stream ended after a GOAWAY; Kestrel waits for it.
        await client.DisposeAsync();
        await stop;
        stopping.Stop();

        Assert.True(created.Created);
        Assert.Equal("half/k", change.Events.Single().Kv.Key.ToStringUtf8());
        Assert.Null(outcome.ResetCode);
        Assert.Contains("grpc-status", Encoding.ASCII.GetString(outcome.EndBlock ?? []));
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"the host took {stopping.Elapsed} to stop with a watch open");
    }

    [Fact]
    public async Task Lock_whose_deadline_passes_answers_unknown_context_deadline_exceeded_as_etcd_does()
    {
        var holder = await server.Member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 });
        var waiter = await server.Member.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 });
        var name = ByteString.CopyFromUtf8("deadline-lock");
        await server.Member.Concurrency.LockAsync(new LockRequest { Name = name, Lease = holder.ID });
        await using var host = await server.StartHostAsync();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var content = new ByteArrayContent(GrpcFrames.Frame(new LockRequest { Name = name, Lease = waiter.ID }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{host.Ports[0]}/v3lockpb.Lock/Lock")
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "300m");

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(("2", "context deadline exceeded"), (Header(response, "grpc-status"), Header(response, "grpc-message")));
    }

    private static WatchRequest Create(string prefix) => new()
    {
        CreateRequest = new WatchCreateRequest
        {
            Key = ByteString.CopyFromUtf8(prefix),
            RangeEnd = ByteString.CopyFromUtf8(prefix[..^1] + (char)(prefix[^1] + 1)),
        },
    };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var trailer) ? trailer.Single()
        : response.Headers.TryGetValues(name, out var header) ? header.Single()
        : null;
}
