using System.Buffers.Binary;
using System.Net.Sockets;
using ActorStore.Actors.Remoting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorStore.Actors.Tests.Remoting;

public sealed class RemoteTransportTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(5);

    private static StringValue Text(string value) => new() { Value = value };

    [Fact]
    public async Task Ping_reaches_the_remote_actor_and_the_pong_comes_back_to_the_sender()
    {
        await using var a = await RemotingNode.StartAsync("a", memberId: 1);
        await using var b = await RemotingNode.StartAsync("b", memberId: 2);
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var echo = a.Remote(b, "/user/echo");

        echo.Tell(Text("ping"), a.Probe.Ref);

        Assert.Equal("ping", (await a.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        var replier = a.Probe.LastSender!;
        Assert.Equal($"actorstore://a@{b.Address}/user/echo", replier.Path.ToString());
        Assert.Equal(echo, replier);
        Assert.Equal(new AssociationConnected(b.Address), await a.Events.ExpectMsgAsync<AssociationConnected>(Long));
    }

    [Fact]
    public async Task Ask_over_remoting_gets_its_reply_through_the_temporary_reply_target()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");
        var echo = a.Remote(b, "/user/echo");

        var first = await echo.Ask<StringValue>(Text("one"), Long);
        var second = await echo.Ask<StringValue>(Text("two"), Long);

        Assert.Equal("one", first.Value);
        Assert.Equal("two", second.Value);
    }

    [Fact]
    public async Task A_message_without_sender_is_delivered_with_dead_letters_as_its_sender()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");

        a.Remote(b, "/user/probe").Tell(Text("anonymous"));

        Assert.Equal("anonymous", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        Assert.Same(b.System.DeadLetters, b.Probe.LastSender);
    }

    [Fact]
    public async Task Ten_thousand_messages_arrive_in_the_order_they_were_sent()
    {
        const int count = 10_000;
        // The sender outruns the connect, so the queue must hold them all (the default bound is 4096).
        await using var a = await RemotingNode.StartAsync("a", configure: s => s with { MaxQueuedMessagesPerPeer = count });
        await using var b = await RemotingNode.StartAsync("b");
        b.System.ActorOf(Props.Create(() => new SequenceChecker(count, b.Probe.Ref)), "checker");
        var checker = a.Remote(b, "/user/checker");

        for (var i = 0; i < count; i++)
        {
            checker.Tell(new Int32Value { Value = i });
        }

        var report = await b.Probe.ExpectMsgAsync<SequenceReport>(TimeSpan.FromSeconds(10));
        Assert.Equal(new SequenceReport(count, 0), report);
        Assert.Equal(0, a.Transport.DroppedOutboundMessages);
    }

    [Fact]
    public async Task A_large_message_crosses_intact()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");
        var payload = new byte[8 * 1024 * 1024 + 13];
        new Random(42).NextBytes(payload);

        a.Remote(b, "/user/probe").Tell(new BytesValue { Value = ByteString.CopyFrom(payload) });
        a.Remote(b, "/user/probe").Tell(Text("after"));

        var received = await b.Probe.ExpectMsgAsync<BytesValue>(Long);
        Assert.True(received.Value.Span.SequenceEqual(payload));
        Assert.Equal("after", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
    }

    [Fact]
    public async Task A_message_above_the_frame_limit_is_dropped_and_counted_and_later_ones_still_flow()
    {
        await using var a = await RemotingNode.StartAsync("a", configure: s => s with { MaxFrameSize = 64 * 1024 });
        await using var b = await RemotingNode.StartAsync("b");
        var probe = a.Remote(b, "/user/probe");

        probe.Tell(new BytesValue { Value = ByteString.CopyFrom(new byte[100 * 1024]) });
        probe.Tell(Text("small"));

        Assert.Equal("small", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        Assert.Equal(1, a.Transport.DroppedOutboundMessages);
        Assert.True(a.Logs.Contains("exceeds the maximum frame size", LogLevel.Warning));
    }

    [Fact]
    public async Task Messages_sent_while_the_peer_restarts_are_delivered_after_the_reconnect()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");
        var probe = a.Remote(b, "/user/probe");
        probe.Tell(Text("before"));
        Assert.Equal("before", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        await a.Events.ExpectMsgAsync<AssociationConnected>(Long);

        await b.StopTransportAsync();
        Assert.Equal(new AssociationDisconnected(b.Address), await a.Events.ExpectMsgAsync<AssociationDisconnected>(Long));
        for (var i = 0; i < 100; i++)
        {
            probe.Tell(new Int32Value { Value = i });
        }
        Assert.Equal(100, a.Transport.GetAssociationStatus(b.Address)!.QueuedMessages);
        await b.StartTransportAgainAsync();

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(i, (await b.Probe.ExpectMsgAsync<Int32Value>(Long)).Value);
        }
        await a.Events.ExpectMsgAsync<AssociationConnected>(Long);
        Assert.Equal(0, a.Transport.DroppedOutboundMessages);
    }

    [Fact]
    public async Task While_the_peer_is_down_the_queue_stays_bounded_and_the_overflow_is_counted_as_dead_letters()
    {
        await using var a = await RemotingNode.StartAsync("a", configure: s => s with { MaxQueuedMessagesPerPeer = 100 });
        var deadAddress = $"127.0.0.1:{ClosedPort()}";
        var nowhere = a.Transport.ResolveRemote(deadAddress, "/user/raft");

        for (var i = 0; i < 1000; i++)
        {
            nowhere.Tell(Text("lost?"));
        }

        var status = a.Transport.GetAssociationStatus(deadAddress)!;
        Assert.Equal(100, status.QueuedMessages);
        Assert.Equal(900, status.DroppedMessages);
        Assert.Equal(900, a.Transport.DroppedOutboundMessages);
        Assert.Equal(900, a.System.DeadLetterCount);
        Assert.False(status.IsConnected);
        Assert.Equal(new AssociationDisconnected(deadAddress), await a.Events.ExpectMsgAsync<AssociationDisconnected>(Long));
    }

    [Fact]
    public async Task A_peer_of_another_cluster_is_refused_and_nothing_is_delivered()
    {
        await using var a = await RemotingNode.StartAsync("a", clusterId: 0xA1, memberId: 0x11);
        await using var c = await RemotingNode.StartAsync("c", clusterId: 0xC3, memberId: 0x33);

        a.Remote(c, "/user/probe").Tell(Text("intruder"));

        await AwaitAsync(() => c.Logs.Contains("request cluster ID mismatch", LogLevel.Warning));
        var line = c.Logs.Find("request cluster ID mismatch")!.Text;
        Assert.Contains("a1", line, StringComparison.Ordinal);
        Assert.Contains("c3", line, StringComparison.Ordinal);
        await AwaitAsync(() => a.Logs.Contains("ignored by remote peer due to cluster ID mismatch", LogLevel.Warning));
        Assert.Equal(new AssociationDisconnected(c.Address), await a.Events.ExpectMsgAsync<AssociationDisconnected>(Long));
        await c.Probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, a.Transport.GetAssociationStatus(c.Address)!.QueuedMessages);
    }

    [Fact]
    public async Task A_joining_transport_adopts_the_cluster_of_the_first_peer_and_refuses_any_other()
    {
        await using var joiner = await RemotingNode.StartAsync("joiner", clusterId: 0, memberId: 0);
        await using var member = await RemotingNode.StartAsync("member", clusterId: 0xA1, memberId: 1);
        await using var stranger = await RemotingNode.StartAsync("stranger", clusterId: 0xB2, memberId: 2);

        member.Remote(joiner, "/user/probe").Tell(Text("welcome"));
        Assert.Equal("welcome", (await joiner.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        Assert.Equal(0xA1UL, joiner.Transport.ClusterId);

        stranger.Remote(joiner, "/user/probe").Tell(Text("intruder"));
        await AwaitAsync(() => joiner.Logs.Contains("request cluster ID mismatch", LogLevel.Warning));
        await joiner.Probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0xA1UL, joiner.Transport.ClusterId);
    }

    [Fact]
    public async Task A_message_with_an_unknown_manifest_is_logged_and_dropped_and_the_connection_survives()
    {
        await using var a = await RemotingNode.StartAsync("a");
        var withoutInt32 = new MessageSerializerRegistry().Register("google.protobuf.StringValue", StringValue.Parser);
        await using var b = await RemotingNode.StartAsync("b", serializers: withoutInt32);
        var probe = a.Remote(b, "/user/probe");

        probe.Tell(new Int32Value { Value = 7 });
        probe.Tell(Text("known"));

        Assert.Equal("known", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        Assert.Equal(1, b.Transport.DroppedInboundMessages);
        Assert.True(b.Logs.Contains("unknown manifest", LogLevel.Warning));
        Assert.True(b.Logs.Contains("google.protobuf.Int32Value"));
    }

    [Fact]
    public async Task A_message_for_a_missing_actor_becomes_a_dead_letter_at_the_receiver()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");
        var deadLetters = new ActorStore.TestKit.TestProbe(b.System, "dead");
        b.System.EventStream.Subscribe<DeadLetter>(deadLetters.Ref);

        a.Remote(b, "/user/nobody-here").Tell(Text("lost"), a.Probe.Ref);

        var dead = await deadLetters.ExpectMsgAsync<DeadLetter>(Long);
        Assert.Equal(Text("lost"), dead.Message);
        Assert.Equal($"actorstore://b@{a.Address}/user/probe", dead.Sender!.Path.ToString());
    }

    [Fact]
    public async Task Sending_an_unregistered_message_type_throws_a_clear_exception()
    {
        await using var a = await RemotingNode.StartAsync("a");
        var remote = a.Transport.ResolveRemote("127.0.0.1:1", "/user/x");

        var plain = Assert.Throws<NotSupportedException>(() => remote.Tell("a plain string"));
        Assert.Contains("MessageSerializerRegistry", plain.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => remote.Tell(new UInt64Value { Value = 1 }));
        Assert.Equal(0, a.Transport.GetAssociationStatus("127.0.0.1:1")!.QueuedMessages);
    }

    [Theory]
    [InlineData("no-port", "/user/x")]
    [InlineData("127.0.0.1:0", "/user/x")]
    [InlineData("127.0.0.1:2380", "user/x")]
    [InlineData("127.0.0.1:2380", "/")]
    public async Task ResolveRemote_rejects_malformed_addresses_and_paths(string address, string path)
    {
        await using var a = await RemotingNode.StartAsync("a");
        Assert.Throws<ArgumentException>(() => a.Transport.ResolveRemote(address, path));
    }

    [Fact]
    public async Task Garbage_after_the_handshake_closes_only_that_connection()
    {
        await using var a = await RemotingNode.StartAsync("a", clusterId: 0x5);
        await using var b = await RemotingNode.StartAsync("b", clusterId: 0x5);
        var probe = a.Remote(b, "/user/probe");
        probe.Tell(Text("first"));
        Assert.Equal("first", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        await a.Events.ExpectMsgAsync<AssociationConnected>(Long);

        using var rogue = new TcpClient();
        await rogue.ConnectAsync("127.0.0.1", b.Transport.Port);
        var stream = rogue.GetStream();
        await HandshakeAsync(stream, clusterId: 0x5);

        await stream.WriteAsync(RawFrame(4, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.True(await IsClosedByPeerAsync(stream));
        await AwaitAsync(() => b.Logs.Contains("malformed frame", LogLevel.Warning));
        probe.Tell(Text("second"));
        Assert.Equal("second", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
        await a.Events.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task An_oversized_length_prefix_before_the_handshake_closes_the_connection_without_buffering()
    {
        await using var b = await RemotingNode.StartAsync("b");
        using var rogue = new TcpClient();
        await rogue.ConnectAsync("127.0.0.1", b.Transport.Port);
        var stream = rogue.GetStream();

        await stream.WriteAsync(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3 });

        Assert.True(await IsClosedByPeerAsync(stream));
        await AwaitAsync(() => b.Logs.Contains("frame length", LogLevel.Warning));
    }

    [Fact]
    public async Task A_peer_that_accepts_but_then_stays_silent_is_declared_disconnected_after_the_heartbeat_timeout()
    {
        await using var a = await RemotingNode.StartAsync("a", clusterId: 0x7, configure: Heartbeats);
        using var silentPeer = new TcpListener(System.Net.IPAddress.Loopback, 0);
        silentPeer.Start();
        var address = $"127.0.0.1:{((System.Net.IPEndPoint)silentPeer.LocalEndpoint).Port}";

        a.Transport.ResolveRemote(address, "/user/raft").Tell(Text("hello?"));
        using var accepted = await silentPeer.AcceptTcpClientAsync();
        var stream = accepted.GetStream();
        var header = new byte[5];
        await stream.ReadExactlyAsync(header);
        Assert.Equal(1, header[4]); // the dialer's Handshake comes first
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(header) - 1]);
        await stream.WriteAsync(RawFrame(2, RawHandshake(clusterId: 0x7, memberId: 0x42)));

        Assert.Equal(new AssociationConnected(address), await a.Events.ExpectMsgAsync<AssociationConnected>(Long));
        Assert.Equal(new AssociationDisconnected(address), await a.Events.ExpectMsgAsync<AssociationDisconnected>(Long));
        Assert.True(a.Logs.Contains("no heartbeat from the peer", LogLevel.Warning));
    }

    [Fact]
    public async Task A_dialer_that_stays_silent_after_its_handshake_is_closed_after_the_heartbeat_timeout()
    {
        await using var b = await RemotingNode.StartAsync("b", clusterId: 0x8, configure: Heartbeats);
        using var rogue = new TcpClient();
        await rogue.ConnectAsync("127.0.0.1", b.Transport.Port);
        var stream = rogue.GetStream();
        await HandshakeAsync(stream, clusterId: 0x8);

        Assert.True(await IsClosedByPeerAsync(stream));
        Assert.True(b.Logs.Contains("nothing received within", LogLevel.Warning));
    }

    [Fact]
    public async Task An_idle_but_healthy_association_stays_connected_past_the_heartbeat_timeout()
    {
        await using var a = await RemotingNode.StartAsync("a", configure: Heartbeats);
        await using var b = await RemotingNode.StartAsync("b", configure: Heartbeats);
        var probe = a.Remote(b, "/user/probe");
        probe.Tell(Text("one"));
        await b.Probe.ExpectMsgAsync<StringValue>(Long);
        await a.Events.ExpectMsgAsync<AssociationConnected>(Long);

        await a.Events.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(1100)); // over twice the 500 ms timeout

        Assert.True(a.Transport.GetAssociationStatus(b.Address)!.IsConnected);
        probe.Tell(Text("two"));
        Assert.Equal("two", (await b.Probe.ExpectMsgAsync<StringValue>(Long)).Value);
    }

    [Fact]
    public async Task The_stream_wrapper_carries_the_connection_so_tls_can_be_plugged_in()
    {
        using var tls = new TlsTestSetup();
        await using var a = await RemotingNode.StartAsync("a", configure: s => s with { StreamWrapper = tls.WrapAsync });
        await using var b = await RemotingNode.StartAsync("b", configure: s => s with { StreamWrapper = tls.WrapAsync });
        b.System.ActorOf(Props.Create(() => new EchoActor()), "echo");

        var reply = await a.Remote(b, "/user/echo").Ask<StringValue>(Text("over tls"), Long);

        Assert.Equal("over tls", reply.Value);
        Assert.Equal(4, tls.Handshakes); // a->b and the reply's b->a, both ends
    }

    [Fact]
    public async Task Disposing_the_transport_turns_later_sends_into_dead_letters()
    {
        await using var a = await RemotingNode.StartAsync("a");
        await using var b = await RemotingNode.StartAsync("b");
        var probe = a.Remote(b, "/user/probe");
        await a.StopTransportAsync();

        probe.Tell(Text("too late"));

        Assert.Equal(1, a.System.DeadLetterCount);
        Assert.Throws<ObjectDisposedException>(() => a.Transport.ResolveRemote(b.Address, "/user/probe"));
    }

    private static RemoteSettings Heartbeats(RemoteSettings settings) =>
        settings with { HeartbeatInterval = TimeSpan.FromMilliseconds(50), HeartbeatTimeout = TimeSpan.FromMilliseconds(500) };

    private static async Task AwaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }

    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Reads (and discards heartbeats) until the peer closes; false if it is still open after a while.</summary>
    private static async Task<bool> IsClosedByPeerAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(Long);
        var sink = new byte[256];
        try
        {
            while (await stream.ReadAsync(sink, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true; // reset instead of an orderly close
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task HandshakeAsync(NetworkStream stream, ulong clusterId)
    {
        await stream.WriteAsync(RawFrame(1, RawHandshake(clusterId, memberId: 0x99)));
        var header = new byte[5];
        await stream.ReadExactlyAsync(header);
        Assert.Equal(2, header[4]); // HandshakeAccepted
        await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt32BigEndian(header) - 1]);
    }

    // Written by hand from remoting.proto, so the tests also pin the wire format.
    private static byte[] RawHandshake(ulong clusterId, ulong memberId)
    {
        using var body = new MemoryStream();
        var output = new CodedOutputStream(body);
        output.WriteTag(1, WireFormat.WireType.Fixed32);
        output.WriteFixed32(0x41535246);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteUInt32(1);
        output.WriteTag(3, WireFormat.WireType.Varint);
        output.WriteUInt64(clusterId);
        output.WriteTag(4, WireFormat.WireType.Varint);
        output.WriteUInt64(memberId);
        output.WriteTag(5, WireFormat.WireType.LengthDelimited);
        output.WriteString("127.0.0.1:9");
        output.Flush();
        return body.ToArray();
    }

    private static byte[] RawFrame(byte kind, byte[] body)
    {
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(body.Length + 1));
        frame[4] = kind;
        body.CopyTo(frame, 5);
        return frame;
    }
}
