using ActorStore.Client;
using ActorStore.Client.Sessions;
using ActorStore.Client.Watches;
using Akka.Actor;
using Akka.TestKit;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;
using Xunit;
using Watch = ActorStore.Client.Watch;

namespace ActorStore.Tests.Client;

public sealed class WatchRelayTests : ClientTestKit
{
    private readonly FakeMember _member;
    private readonly IActorRef _client;
    private readonly TestProbe _subscriber;

    public WatchRelayTests()
    {
        _member = new FakeMember(this, "a", 1);
        _client = StartClient(Options(), _member);
        _member.AcceptSession();
        _subscriber = CreateTestProbe();
    }

    [Fact]
    public void The_subscriber_never_has_more_than_its_credits_and_the_member_is_granted_what_acks_free()
    {
        var handle = StartWatch(credits: 2);
        var open = ExpectOpen();
        Assert.Equal(2, open.Credits);
        var watch = CreateTestProbe();

        Send(watch, open, Created(10));
        Send(watch, open, Events(11));
        var created = _subscriber.ExpectMsg<WatchUpdate>();
        Assert.True(created.Response.Created);
        Assert.Equal(handle, created.Watch);
        Assert.Equal(11, _subscriber.ExpectMsg<WatchUpdate>().Response.Events[0].Kv.ModRevision);

        // A third batch beyond the credits waits in the relay until the subscriber acks.
        Send(watch, open, Events(12));
        handle.Tell(new WatchAck(), _subscriber.Ref);
        Assert.Equal(12, _subscriber.ExpectMsg<WatchUpdate>().Response.Events[0].Kv.ModRevision);
        handle.Tell(new WatchAck(2), _subscriber.Ref);
        var credit = watch.ExpectMsg<WatchCredit>();
        Assert.Equal(open.WatchId, credit.WatchId);
        Assert.Equal(2, credit.Credits);
    }

    [Fact]
    public void A_lost_member_watch_is_opened_again_after_the_last_revision_and_duplicates_are_dropped()
    {
        StartWatch(credits: 64);
        var open = ExpectOpen();
        Assert.Equal(0, open.Create.StartRevision);
        var watch = CreateTestProbe();
        Send(watch, open, Created(10));
        Send(watch, open, Events(11, 12));
        _subscriber.ExpectMsg<WatchUpdate>(update => update.Response.Created);
        _subscriber.ExpectMsg<WatchUpdate>(update => update.Response.Events.Count == 2);

        Sys.Stop(watch.Ref);

        var reopen = ExpectOpen();
        Assert.Equal(13, reopen.Create.StartRevision);
        Assert.Equal(open.Create.Key, reopen.Create.Key);
        Assert.NotEqual(open.WatchId, reopen.WatchId);
        var again = CreateTestProbe();
        Send(again, reopen, Created(12));
        Send(again, reopen, Events(12, 13));
        Send(again, reopen, Events(14));
        // Neither the second created nor revision 12 is delivered again.
        var next = _subscriber.ExpectMsg<WatchUpdate>();
        Assert.Equal([13L], next.Response.Events.Select(e => e.Kv.ModRevision));
        Assert.Equal(14, _subscriber.ExpectMsg<WatchUpdate>().Response.Events[0].Kv.ModRevision);
    }

    [Fact]
    public void A_watch_lost_while_the_subscriber_is_full_is_opened_again_once_it_acks()
    {
        // The relay alone, with a probe as its client: each session it asks for is visible.
        var client = CreateTestProbe();
        var session = CreateTestProbe();
        var relay = Sys.ActorOf(WatchRelay.Props(new Watch(new WatchCreateRequest { Key = ByteString.CopyFromUtf8("k") }, _subscriber.Ref, 1), 1, client.Ref));
        client.ExpectMsg<SessionWanted>();
        relay.Tell(new SessionAvailable(session.Ref));
        var open = session.ExpectMsg<WatchOpen>();
        var watch = CreateTestProbe();
        watch.Send(relay, new WatchBatch { WatchId = open.WatchId, Response = Created(4) });
        _subscriber.ExpectMsg<WatchUpdate>(update => update.Response.Created);

        Sys.Stop(watch.Ref);
        client.ExpectMsg<SessionWanted>();
        relay.Tell(new SessionAvailable(session.Ref));
        // No room for even the "created" response: nothing is opened until the subscriber acks.
        relay.Tell(new WatchAck(), _subscriber.Ref);

        var reopen = session.ExpectMsg<WatchOpen>();
        Assert.Equal(1, reopen.Credits);
        Assert.Equal(5, reopen.Create.StartRevision);
    }

    [Fact]
    public void A_lost_session_opens_the_watch_on_the_next_session()
    {
        StartWatch(credits: 64, startRevision: 5);
        var open = ExpectOpen();
        Assert.Equal(5, open.Create.StartRevision);
        var watch = CreateTestProbe();
        Send(watch, open, Created(20));
        Send(watch, open, Events(5));
        _subscriber.ExpectMsg<WatchUpdate>(update => update.Response.Created);
        _subscriber.ExpectMsg<WatchUpdate>(update => update.Response.Events[0].Kv.ModRevision == 5);

        Sys.Stop(_member.Session.Ref);
        Sys.Stop(watch.Ref);

        _member.AcceptSession();
        var reopen = ExpectOpen();
        Assert.Equal(6, reopen.Create.StartRevision);
    }

    [Fact]
    public void A_compaction_cancel_reaches_the_subscriber_and_ends_the_watch()
    {
        var handle = StartWatch(credits: 8, startRevision: 2);
        var open = ExpectOpen();
        Watch(handle);
        var watch = CreateTestProbe();

        Send(watch, open, new WatchResponse { Header = new ResponseHeader { Revision = 30 }, Canceled = true, CompactRevision = 9, CancelReason = "mvcc: required revision has been compacted" });

        var canceled = _subscriber.ExpectMsg<WatchUpdate>();
        Assert.True(canceled.Response.Canceled);
        Assert.Equal(9, canceled.Response.CompactRevision);
        ExpectTerminated(handle);
    }

    [Fact]
    public void Cancel_closes_the_members_watch_and_ends_the_handle()
    {
        var handle = StartWatch(credits: 8);
        var open = ExpectOpen();
        var watch = CreateTestProbe();
        Send(watch, open, Created(3));
        _subscriber.ExpectMsg<WatchUpdate>();
        Watch(handle);

        handle.Tell(CancelWatch.Instance);

        Assert.Equal(open.WatchId, watch.ExpectMsg<WatchClose>().WatchId);
        ExpectTerminated(handle);
    }

    private IActorRef StartWatch(int credits, long startRevision = 0)
    {
        _client.Tell(new Watch(new WatchCreateRequest { Key = ByteString.CopyFromUtf8("config/"), RangeEnd = ByteString.CopyFromUtf8("config0"), StartRevision = startRevision }, _subscriber.Ref, credits));
        return ExpectMsg<WatchStarted>().Watch;
    }

    private WatchOpen ExpectOpen() => _member.Session.FishForMessage<WatchOpen>(_ => true);

    private void Send(TestProbe watch, WatchOpen open, WatchResponse response) =>
        watch.Send(_member.Session.LastSender, new WatchBatch { WatchId = open.WatchId, Response = response });

    private static WatchResponse Created(long revision) =>
        new() { Header = new ResponseHeader { Revision = revision }, Created = true };

    private static WatchResponse Events(params long[] revisions)
    {
        var response = new WatchResponse { Header = new ResponseHeader { Revision = revisions[^1] } };
        response.Events.AddRange(revisions.Select(revision => new Event { Kv = new KeyValue { Key = ByteString.CopyFromUtf8("config/" + revision), ModRevision = revision } }));
        return response;
    }
}
