using ActorStore.Client;
using ActorStore.Protocol.Errors;
using Akka.Actor;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Tests.Client;

public sealed class ClientActorTests : ClientTestKit
{
    [Fact]
    public void Answers_go_to_their_callers_whatever_the_order()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(), member);
        member.AcceptSession();
        var first = CreateTestProbe();
        var second = CreateTestProbe();

        client.Tell(new RangeRequest { Key = ByteString.CopyFromUtf8("one") }, first.Ref);
        client.Tell(new RangeRequest { Key = ByteString.CopyFromUtf8("two") }, second.Ref);
        var one = member.NextRequest();
        var two = member.NextRequest();
        Assert.NotEqual(one.Id, two.Id);
        member.Answer(two, new ClientResponse { Range = new RangeResponse { Count = 2 } });
        member.Answer(one, new ClientResponse { Range = new RangeResponse { Count = 1 } });

        Assert.Equal(1, first.ExpectMsg<RangeResponse>().Count);
        Assert.Equal(2, second.ExpectMsg<RangeResponse>().Count);
    }

    [Fact]
    public async Task A_member_error_reaches_the_caller_as_the_grpc_api_reports_it()
    {
        var member = new FakeMember(this, "a", 1);
        var options = Options();
        var client = new ActorStoreClient(StartClient(options, member), options);
        member.AcceptSession();

        var put = client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("k") });
        var request = member.NextRequest();
        Assert.Equal(ClientRequest.RequestOneofCase.Put, request.RequestCase);
        member.Answer(request, new ClientResponse { Error = new ClientError { Code = (int)StatusCode.InvalidArgument, Message = "etcdserver: user name is empty" } });

        var error = await Assert.ThrowsAsync<RpcException>(() => put);
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Equal("etcdserver: user name is empty", error.Message);
    }

    [Fact]
    public void A_message_that_is_no_request_is_refused()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(), member);

        client.Tell("hello");

        var failure = ExpectMsg<Status.Failure>();
        Assert.Equal(StatusCode.InvalidArgument, Assert.IsType<RpcException>(failure.Cause).Status);
    }

    [Fact]
    public void Requests_sent_while_connecting_wait_for_the_session()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(), member);
        var caller = CreateTestProbe();

        client.Tell(new RangeRequest { Key = ByteString.CopyFromUtf8("early") }, caller.Ref);
        member.AcceptSession();

        var request = member.NextRequest();
        Assert.Equal("early", request.Range.Key.ToStringUtf8());
        Assert.True(request.TimeoutMs > 0);
        member.Answer(request, new ClientResponse { Range = new RangeResponse { Count = 7 } });
        Assert.Equal(7, caller.ExpectMsg<RangeResponse>().Count);
    }

    [Fact]
    public void Losing_the_member_resends_reads_on_the_next_and_fails_writes_without_sending_them_again()
    {
        var first = new FakeMember(this, "a", 1);
        var second = new FakeMember(this, "b", 2);
        var client = StartClient(Options(), first, second);
        first.AcceptSession();
        var reader = CreateTestProbe();
        var writer = CreateTestProbe();
        client.Tell(new RangeRequest { Key = ByteString.CopyFromUtf8("r") }, reader.Ref);
        client.Tell(new PutRequest { Key = ByteString.CopyFromUtf8("w") }, writer.Ref);
        Assert.Equal(ClientRequest.RequestOneofCase.Range, first.NextRequest().RequestCase);
        Assert.Equal(ClientRequest.RequestOneofCase.Put, first.NextRequest().RequestCase);

        Sys.Stop(first.Session.Ref);

        var lost = Assert.IsType<RpcException>(writer.ExpectMsg<Status.Failure>().Cause);
        Assert.Equal(StatusCode.Unavailable, lost.Status);
        Assert.Contains("may or may not have been applied", lost.Message);
        second.AcceptSession();
        var resent = second.NextRequest();
        Assert.Equal("r", resent.Range.Key.ToStringUtf8());
        second.Answer(resent, new ClientResponse { Range = new RangeResponse { Count = 1 } });
        Assert.Equal(1, reader.ExpectMsg<RangeResponse>().Count);

        // The put is never sent again: the next request the new member sees is the one sent after it.
        client.Tell(new StatusRequest(), reader.Ref);
        Assert.Equal(ClientRequest.RequestOneofCase.Status, second.NextRequest().RequestCase);
    }

    [Fact]
    public void A_read_is_sent_again_at_most_max_retries_times()
    {
        var first = new FakeMember(this, "a", 1);
        var second = new FakeMember(this, "b", 2);
        var options = Options();
        options.MaxRetries = 1;
        var client = StartClient(options, first, second);
        first.AcceptSession();
        client.Tell(new RangeRequest());
        first.NextRequest();

        Sys.Stop(first.Session.Ref);
        second.AcceptSession();
        second.NextRequest();
        Sys.Stop(second.Session.Ref);

        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(ExpectMsg<Status.Failure>().Cause).Status);
    }

    [Fact]
    public void Requests_beyond_the_queue_bound_are_refused_while_no_session_is_open()
    {
        var member = new FakeMember(this, "a", 1);
        var options = Options();
        options.MaxQueuedRequests = 1;
        var client = StartClient(options, member);
        var waiting = CreateTestProbe();

        client.Tell(new RangeRequest(), waiting.Ref);
        client.Tell(new RangeRequest());

        Assert.Contains("too many requests", ExpectMsg<Status.Failure>().Cause.Message);
        member.AcceptSession();
        member.Answer(member.NextRequest(), new ClientResponse { Range = new RangeResponse() });
        waiting.ExpectMsg<RangeResponse>();
    }

    [Fact]
    public void A_read_answered_no_leader_is_asked_again()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(), member);
        member.AcceptSession();
        var caller = CreateTestProbe();

        client.Tell(new RangeRequest { Key = ByteString.CopyFromUtf8("r") }, caller.Ref);
        var request = member.NextRequest();
        member.Answer(request, new ClientResponse { Error = new ClientError { Code = (int)StatusCode.Unavailable, Message = "etcdserver: no leader" } });
        var again = member.NextRequest();

        Assert.Equal(request.Id, again.Id);
        member.Answer(again, new ClientResponse { Range = new RangeResponse { Count = 3 } });
        Assert.Equal(3, caller.ExpectMsg<RangeResponse>().Count);
    }

    [Fact]
    public void A_write_answered_no_leader_fails_at_once()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(), member);
        member.AcceptSession();

        client.Tell(new PutRequest { Key = ByteString.CopyFromUtf8("w") });
        member.Answer(member.NextRequest(), new ClientResponse { Error = new ClientError { Code = (int)StatusCode.Unavailable, Message = "etcdserver: no leader" } });

        var error = Assert.IsType<RpcException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal("etcdserver: no leader", error.Message);
    }

    [Fact]
    public void A_refused_session_fails_the_waiting_requests_with_the_members_error()
    {
        var member = new FakeMember(this, "a", 1);
        var options = Options();
        options.UserName = "root";
        options.Password = "wrong";
        var client = StartClient(options, member);
        client.Tell(new RangeRequest());

        member.Entry.ExpectMsg<SessionHello>();
        member.Entry.Reply(new SessionChallenge { Nonce = ByteString.CopyFromUtf8("n") });
        var open = member.Entry.ExpectMsg<OpenSession>();
        Assert.Equal("root", open.Password.Name);
        member.Entry.Reply(new SessionRefused { Error = new ClientError { Code = (int)StatusCode.InvalidArgument, Message = "etcdserver: authentication failed, invalid user ID or password" } });

        var error = Assert.IsType<RpcException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal("etcdserver: authentication failed, invalid user ID or password", error.Message);
    }

    [Fact]
    public void A_request_without_answer_fails_with_deadline_exceeded()
    {
        var member = new FakeMember(this, "a", 1);
        var client = StartClient(Options(TimeSpan.FromMilliseconds(300)), member);

        client.Tell(new RangeRequest());

        var error = Assert.IsType<RpcException>(ExpectMsg<Status.Failure>().Cause);
        Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
    }

    [Fact]
    public void The_session_moves_to_the_leaders_member_learned_from_the_member_list()
    {
        var follower = new FakeMember(this, "a", 1);
        var leader = new FakeMember(this, "b", 2);
        var client = StartClient(Options(), follower, leader);
        follower.AcceptSession(leaderId: 2);
        var list = follower.Session.ExpectMsg<ClientRequest>();
        Assert.Equal(ClientRequest.RequestOneofCase.MemberList, list.RequestCase);
        var members = new MemberListResponse();
        members.Members.Add(new Member { ID = 1, PeerURLs = { "member-0" } });
        members.Members.Add(new Member { ID = 2, PeerURLs = { "member-1" } });
        follower.Answer(list, new ClientResponse { MemberList = members });

        follower.Session.ExpectMsg<CloseSession>();
        leader.AcceptSession();
        client.Tell(new StatusRequest());
        Assert.Equal(ClientRequest.RequestOneofCase.Status, leader.NextRequest().RequestCase);
    }
}
