using ActorStore.Raft.Shell;
using ActorStore.Server.Peers;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Lessorpb;
using Microsoft.Extensions.Logging;
using Peerpb;
using Raftpb;
using Xunit;

namespace ActorStore.Server.Tests.Peers;

/// <summary>Members' messages over Akka.Remote: etcd's cluster-id check, and Raft messages larger than a frame.</summary>
public sealed class PeerGateTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_raft_message_reaches_the_peers_raft_actor_with_the_sender_to_answer()
    {
        await using var a = PeerNode.Start(this, clusterId: 0xA1, memberId: 1);
        await using var b = PeerNode.Start(this, clusterId: 0xA1, memberId: 2);

        a.ChannelTo(b, chunkBytes: 64 * 1024).Send(new Message { Type = MessageType.MsgHeartbeat, From = 1, To = 2, Term = 3 }, a.Raft.Ref);

        var heartbeat = await b.Raft.ExpectMsgAsync<Message>(Long);
        Assert.Equal((MessageType.MsgHeartbeat, 1UL, 3UL), (heartbeat.Type, heartbeat.From, heartbeat.Term));
        Assert.Equal(a.Address, PeerRefs.HostAndPort(b.Raft.LastSender.Path.Address));
    }

    [Fact]
    public async Task A_peer_listed_under_another_name_of_its_listener_is_reached_where_it_was_heard_from()
    {
        await using var a = PeerNode.Start(this, clusterId: 0xA1, memberId: 1);
        await using var b = PeerNode.Start(this, clusterId: 0xA1, memberId: 2);
        b.ChannelTo(a, 64 * 1024).Send(new Message { Type = MessageType.MsgHeartbeatResp, From = 2, To = 1 }, b.Raft.Ref);
        await a.Raft.ExpectMsgAsync<Message>(Long);
        Assert.Equal(b.Address, a.Addresses.AddressOf(2));

        // Akka.Remote drops what is addressed to any name but the peer's own; the member list may use another.
        var port = b.Address[(b.Address.LastIndexOf(':') + 1)..];
        var channel = new RemotePeerChannel(a.System, 2, "localhost:" + port, a.Addresses, a.Identity, 64 * 1024);
        Assert.Equal(b.Address, channel.Address);
        channel.Send(new Message { Type = MessageType.MsgHeartbeat, From = 1, To = 2, Term = 8 }, a.Raft.Ref);
        Assert.Equal(8UL, (await b.Raft.ExpectMsgAsync<Message>(Long)).Term);
    }

    [Fact]
    public async Task A_snapshot_larger_than_a_frame_arrives_whole_in_pieces()
    {
        // The smallest frame Akka.Remote allows, so the snapshot needs many of them.
        const string smallFrames = "akka.remote.dot-netty.tcp.maximum-frame-size = 32000b";
        await using var a = PeerNode.Start(this, clusterId: 0xA1, memberId: 1, smallFrames);
        await using var b = PeerNode.Start(this, clusterId: 0xA1, memberId: 2, smallFrames);
        var data = new byte[300_000];
        new Random(7).NextBytes(data);
        var snapshot = new Message
        {
            Type = MessageType.MsgSnap,
            From = 1,
            To = 2,
            Term = 4,
            Snapshot = new Snapshot { Data = ByteString.CopyFrom(data), Metadata = new SnapshotMetadata { Index = 900, Term = 4 } },
        };
        var chunkBytes = MemberAkkaConfig.RaftChunkBytes(a.System.Settings.Config);
        Assert.True(chunkBytes < 32000);

        a.ChannelTo(b, chunkBytes).Send(snapshot, a.Raft.Ref);
        a.ChannelTo(b, chunkBytes).Send(new Message { Type = MessageType.MsgHeartbeat, From = 1, To = 2, Term = 4 }, a.Raft.Ref);

        var received = await b.Raft.ExpectMsgAsync<Message>(Long);
        Assert.Equal(snapshot, received);
        Assert.Equal(MessageType.MsgHeartbeat, (await b.Raft.ExpectMsgAsync<Message>(Long)).Type);
    }

    [Fact]
    public async Task A_member_of_another_cluster_is_refused_and_both_sides_log_it()
    {
        await using var a = PeerNode.Start(this, clusterId: 0xA1, memberId: 0x11);
        await using var c = PeerNode.Start(this, clusterId: 0xC3, memberId: 0x33);

        a.ChannelTo(c, 64 * 1024).Send(new Message { Type = MessageType.MsgHeartbeat, From = 0x11, To = 0x33 }, a.Raft.Ref);

        Assert.Equal(new PeerRefused(c.Address), await a.Events.ExpectMsgAsync<PeerRefused>(Long));
        var refused = c.Logs.Find("request cluster ID mismatch", LogLevel.Warning);
        Assert.NotNull(refused);
        Assert.Contains("a1", refused, StringComparison.Ordinal);
        Assert.Contains("c3", refused, StringComparison.Ordinal);
        var ignored = a.Logs.Find("request sent was ignored by remote peer due to cluster ID mismatch", LogLevel.Warning);
        Assert.NotNull(ignored);
        Assert.Contains(c.Address, ignored, StringComparison.Ordinal);
        await c.Raft.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0xC3UL, c.Identity.ClusterId);
    }

    [Fact]
    public async Task A_joining_member_adopts_the_cluster_of_the_first_peer_and_refuses_any_other()
    {
        await using var joiner = PeerNode.Start(this, clusterId: 0, memberId: 0);
        await using var member = PeerNode.Start(this, clusterId: 0xA1, memberId: 1);
        await using var stranger = PeerNode.Start(this, clusterId: 0xB2, memberId: 2);

        member.ChannelTo(joiner, 64 * 1024).Send(new Message { Type = MessageType.MsgApp, From = 1, To = 5 }, member.Raft.Ref);
        Assert.Equal(5UL, (await joiner.Raft.ExpectMsgAsync<Message>(Long)).To);
        Assert.Equal(0xA1UL, joiner.Identity.ClusterId);

        stranger.ChannelTo(joiner, 64 * 1024).Send(new Message { Type = MessageType.MsgApp, From = 2, To = 5 }, stranger.Raft.Ref);
        Assert.Equal(new PeerRefused(joiner.Address), await stranger.Events.ExpectMsgAsync<PeerRefused>(Long));
        Assert.NotNull(joiner.Logs.Find("request cluster ID mismatch", LogLevel.Warning));
        await joiner.Raft.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0xA1UL, joiner.Identity.ClusterId);
    }

    [Fact]
    public async Task Lessor_and_member_list_questions_go_to_their_actors_and_the_answers_come_back()
    {
        await using var a = PeerNode.Start(this, clusterId: 0xA1, memberId: 1);
        await using var b = PeerNode.Start(this, clusterId: 0xA1, memberId: 2);
        var gate = PeerRefs.Gate(a.System, b.Address);

        var renewal = gate.Ask<LessorAnswer>(new PeerEnvelope { ClusterId = 0xA1, MemberId = 1, RenewLease = new RenewLease { Id = 42 } }, Long);
        Assert.Equal(42, (await b.Lessor.ExpectMsgAsync<RenewLease>(Long)).Id);
        b.Lessor.Reply(new LessorAnswer { Id = 42, Ttl = 9 });
        Assert.Equal(9, (await renewal).Ttl);

        var members = gate.Ask<MemberListResponse>(new PeerEnvelope { ClusterId = 0xA1, MemberId = 1, MemberList = new MemberListRequest() }, Long);
        await b.Apply.ExpectMsgAsync<MemberListRequest>(Long);
        b.Apply.Reply(new MemberListResponse { Members = { new Member { ID = 2, Name = "b" } } });
        Assert.Equal("b", Assert.Single((await members).Members).Name);
    }
}
