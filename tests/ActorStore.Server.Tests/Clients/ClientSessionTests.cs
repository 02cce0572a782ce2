using ActorStore.Client.Wire;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Clients;
using ActorStore.Server.Tests.Concurrency;
using Akka.Actor;
using Akka.TestKit;
using Clientpb;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using V3lockpb;
using Xunit;

namespace ActorStore.Server.Tests.Clients;

/// <summary>Client sessions against a real one-member cluster, driven by a test probe as an Akka.NET program would.</summary>
public sealed class ClientSessionTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _ca = TestClientCertificates.CreateCa("session-ca");
    private SingleMember? _single;
    private IActorRef? _entry;
    private ulong _requests;

    private EtcdMember Member => _single!.Member;

    private IActorRef Entry => _entry!;

    public async Task InitializeAsync()
    {
        _single = await SingleMember.StartAsync(options => options with { BcryptCost = 4, ClientCertAuth = true });
        _entry = Sys.ActorOf(ClientEntry.Props(Member, TestClientCertificates.Trusting(_ca), NullLogger.Instance));
    }

    public async Task DisposeAsync()
    {
        await _single!.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public void A_session_puts_then_reads_the_key()
    {
        var (session, opened) = Open(TestActor);
        Assert.Equal(Member.Identity.ClusterId, opened.ClusterId);
        Assert.Equal(Member.Identity.MemberId, opened.MemberId);
        Assert.Equal(Member.Identity.MemberId, opened.LeaderId);
        Assert.Equal("", opened.User);

        var put = Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("a"), Value = Bytes("1") } });
        var range = Call(session, new ClientRequest { Range = new RangeRequest { Key = Bytes("a") } });

        Assert.Equal(ClientResponse.ResponseOneofCase.Put, put.ResponseCase);
        Assert.Equal("1", Assert.Single(range.Range.Kvs).Value.ToStringUtf8());
        Assert.Equal(put.Put.Header.Revision, range.Range.Header.Revision);
    }

    [Fact]
    public void A_txn_compares_and_writes()
    {
        var (session, _) = Open(TestActor);
        Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("t"), Value = Bytes("old") } });
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = Bytes("t"), Target = Compare.Types.CompareTarget.Value, Result = Compare.Types.CompareResult.Equal, Value = Bytes("old") });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Bytes("t"), Value = Bytes("new") } });

        var response = Call(session, new ClientRequest { Txn = txn });

        Assert.True(response.Txn.Succeeded);
        Assert.Equal("new", Call(session, new ClientRequest { Range = new RangeRequest { Key = Bytes("t") } }).Range.Kvs[0].Value.ToStringUtf8());
    }

    [Fact]
    public void A_lease_is_granted_and_kept_alive()
    {
        var (session, _) = Open(TestActor);

        var granted = Call(session, new ClientRequest { LeaseGrant = new LeaseGrantRequest { TTL = 60 } }).LeaseGrant;
        var kept = Call(session, new ClientRequest { LeaseKeepAlive = new LeaseKeepAliveRequest { ID = granted.ID } }).LeaseKeepAlive;

        Assert.NotEqual(0, granted.ID);
        Assert.Equal(granted.ID, kept.ID);
        Assert.Equal(60, kept.TTL);
    }

    [Fact]
    public void A_lock_is_taken_and_released()
    {
        var (session, _) = Open(TestActor);

        var locked = Call(session, new ClientRequest { Lock = new LockRequest { Name = Bytes("my-lock") } }).Lock;
        Assert.StartsWith("my-lock/", locked.Key.ToStringUtf8(), StringComparison.Ordinal);
        var unlocked = Call(session, new ClientRequest { Unlock = new UnlockRequest { Key = locked.Key } });

        Assert.Equal(ClientResponse.ResponseOneofCase.Unlock, unlocked.ResponseCase);
        Assert.Empty(Call(session, new ClientRequest { Range = new RangeRequest { Key = locked.Key } }).Range.Kvs);
    }

    [Fact]
    public void A_request_that_outlives_its_timeout_answers_deadline_exceeded()
    {
        var (session, _) = Open(TestActor);
        var held = Call(session, new ClientRequest { Lock = new LockRequest { Name = Bytes("held") } }).Lock;

        var waited = Call(session, new ClientRequest { TimeoutMs = 300, Lock = new LockRequest { Name = Bytes("held") } });

        Assert.Equal((int)StatusCode.DeadlineExceeded, waited.Error.Code);
        Assert.Equal("context deadline exceeded", waited.Error.Message);
        Assert.Equal(ClientResponse.ResponseOneofCase.Unlock, Call(session, new ClientRequest { Unlock = new UnlockRequest { Key = held.Key } }).ResponseCase);
    }

    [Fact]
    public void A_closed_watch_stops()
    {
        var (session, _) = Open(TestActor);
        var relay = CreateTestProbe();
        session.Tell(new WatchOpen { WatchId = 1, Create = new WatchCreateRequest { Key = Bytes("w") }, Credits = 1 }, relay.Ref);
        Assert.True(relay.ExpectMsg<WatchBatch>(Answer).Response.Created);
        var watch = relay.LastSender;
        Watch(watch);

        watch.Tell(new WatchClose { WatchId = 1 }, relay.Ref);

        ExpectTerminated(watch, Answer);
    }

    [Fact]
    public void A_refused_request_answers_etcds_status_code_and_text()
    {
        var (session, _) = Open(TestActor);
        for (var i = 0; i < 3; i++)
        {
            Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("c"), Value = Bytes($"{i}") } });
        }
        Call(session, new ClientRequest { Compact = new CompactionRequest { Revision = 3 } });

        var error = Call(session, new ClientRequest { Range = new RangeRequest { Key = Bytes("c"), Revision = 2 } }).Error;

        Assert.Equal((int)StatusCode.OutOfRange, error.Code);
        Assert.Equal(11, error.Code);
        Assert.Equal("etcdserver: mvcc: required revision has been compacted", error.Message);
    }

    [Fact]
    public async Task With_auth_on_a_password_opens_a_session_as_the_user_and_a_session_without_credentials_is_refused()
    {
        await EnableAuthAsync();

        var (session, opened) = Open(TestActor, new OpenSession { Password = new PasswordCredentials { Name = "root", Password = "secret" } });
        Assert.Equal("root", opened.User);
        Assert.Equal(ClientResponse.ResponseOneofCase.Put, Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("v") } }).ResponseCase);

        var refused = Refused(TestActor, new OpenSession { Password = new PasswordCredentials { Name = "root", Password = "wrong" } });
        Assert.Equal((int)EtcdErrors.AuthFailed.Status, refused.Error.Code);
        Assert.Equal("etcdserver: authentication failed, invalid user ID or password", refused.Error.Message);

        var (anonymous, _) = Open(TestActor);
        var error = Call(anonymous, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("v") } }).Error;
        Assert.Equal((int)StatusCode.InvalidArgument, error.Code);
        Assert.Equal("etcdserver: user name is empty", error.Message);
    }

    [Fact]
    public async Task A_password_session_authenticates_again_when_its_token_is_no_longer_valid()
    {
        await EnableAuthAsync();
        var (session, _) = Open(TestActor, new OpenSession { Password = new PasswordCredentials { Name = "root", Password = "secret" } });
        Assert.Equal(ClientResponse.ResponseOneofCase.Put, Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("1") } }).ResponseCase);

        // Turning auth off ends every token; turned on again, the session's token is unknown.
        var token = (await Member.Auth.AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = "secret" }, CancellationToken.None)).Token;
        var root = await Member.Auth.CallerAsync(token, null, CancellationToken.None);
        await Member.Auth.AuthDisableAsync(new AuthDisableRequest(), root, CancellationToken.None);
        await Member.Auth.AuthEnableAsync(new AuthEnableRequest(), null, CancellationToken.None);

        var put = Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("2") } });

        Assert.Equal(ClientResponse.ResponseOneofCase.Put, put.ResponseCase);
    }

    [Fact]
    public async Task With_auth_on_a_watch_without_credentials_is_created_and_canceled_then_stops()
    {
        await EnableAuthAsync();
        var (session, _) = Open(TestActor);
        var relay = CreateTestProbe();

        session.Tell(new WatchOpen { WatchId = 3, Create = new WatchCreateRequest { Key = Bytes("w") }, Credits = 5 }, relay.Ref);

        var refused = relay.ExpectMsg<WatchBatch>(Answer);
        Watch(relay.LastSender);
        Assert.True(refused.Response.Created);
        Assert.True(refused.Response.Canceled);
        Assert.Equal("rpc error: code = InvalidArgument desc = etcdserver: user name is empty", refused.Response.CancelReason);
        ExpectTerminated(relay.LastSender, Answer);
    }

    [Fact]
    public async Task A_certificate_proof_opens_a_session_as_the_certificates_common_name()
    {
        await EnableAuthAsync();
        Entry.Tell(new SessionHello { ClientName = "test" }, TestActor);
        var nonce = ExpectMsg<SessionChallenge>(Answer).Nonce;
        var (leaf, signature) = TestClientCertificates.SignedByRsaLeaf(_ca, "root", nonce.ToByteArray());
        using (leaf)
        {
            Entry.Tell(new OpenSession { Nonce = nonce, ClientName = "test", Certificate = TestClientCertificates.Proof(signature, leaf) }, TestActor);
        }
        var opened = ExpectMsg<SessionOpened>(Answer);
        var session = LastSender;

        Assert.Equal("root", opened.User);
        Assert.Equal(ClientResponse.ResponseOneofCase.Put, Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("v") } }).ResponseCase);
    }

    [Fact]
    public void A_campaign_wins_and_the_leader_is_known()
    {
        var (session, _) = Open(TestActor);
        var lease = Call(session, new ClientRequest { LeaseGrant = new LeaseGrantRequest { TTL = 60 } }).LeaseGrant.ID;

        var won = Call(session, new ClientRequest { Campaign = new V3electionpb.CampaignRequest { Name = Bytes("e"), Lease = lease, Value = Bytes("me") } }).Campaign;
        var leader = Call(session, new ClientRequest { Leader = new V3electionpb.LeaderRequest { Name = Bytes("e") } }).Leader;

        Assert.Equal(won.Leader.Key, leader.Kv.Key);
        Assert.Equal("me", leader.Kv.Value.ToStringUtf8());
    }

    [Fact]
    public void With_auth_off_a_password_session_opens_without_a_user()
    {
        var (session, opened) = Open(TestActor, new OpenSession { Password = new PasswordCredentials { Name = "root", Password = "secret" } });

        Assert.Equal("", opened.User);
        Assert.Equal(ClientResponse.ResponseOneofCase.Put, Call(session, new ClientRequest { Put = new PutRequest { Key = Bytes("k"), Value = Bytes("v") } }).ResponseCase);
    }

    [Fact]
    public void A_nonce_opens_one_session_only()
    {
        Entry.Tell(new SessionHello { ClientName = "test" }, TestActor);
        var challenge = ExpectMsg<SessionChallenge>(Answer);
        Entry.Tell(new OpenSession { Nonce = challenge.Nonce, ClientName = "test" }, TestActor);
        ExpectMsg<SessionOpened>(Answer);

        Entry.Tell(new OpenSession { Nonce = challenge.Nonce, ClientName = "test" }, TestActor);

        Assert.Equal((int)StatusCode.Unauthenticated, ExpectMsg<SessionRefused>(Answer).Error.Code);
    }

    [Fact]
    public void A_session_ends_with_the_client_that_opened_it()
    {
        var client = CreateTestProbe();
        var (session, _) = Open(client);
        Watch(session);

        Sys.Stop(client.Ref);

        ExpectTerminated(session, Answer);
    }

    [Fact]
    public void A_watch_sends_no_more_batches_than_its_credits_then_the_rest_in_order()
    {
        var (session, _) = Open(TestActor);
        var relay = CreateTestProbe();
        session.Tell(new WatchOpen { WatchId = 7, Create = new WatchCreateRequest { Key = Bytes("w") }, Credits = 2 }, relay.Ref);

        var created = relay.ExpectMsg<WatchBatch>(Answer);
        Assert.Equal(7UL, created.WatchId);
        Assert.True(created.Response.Created);
        Put("w", "1");
        var first = relay.ExpectMsg<WatchBatch>(Answer);
        var watch = relay.LastSender;
        Assert.Equal(["1"], Values(first));

        Put("w", "2");
        Put("w", "3");
        Put("w", "4");
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        watch.Tell(new WatchCredit { WatchId = 7, Credits = 10 }, relay.Ref);
        var rest = new List<string>();
        while (rest.Count < 3)
        {
            rest.AddRange(Values(relay.ExpectMsg<WatchBatch>(Answer)));
        }
        Assert.Equal(["2", "3", "4"], rest);
    }

    [Fact]
    public void The_members_entry_is_at_user_clients_and_its_actor_system_binds_the_client_serializer()
    {
        var entry = Member.System.ActorSelection("/user/" + SessionProof.EntryActorName).ResolveOne(Answer).Result;

        Assert.NotNull(entry);
        Assert.IsType<ClientMessageSerializer>(Member.System.Serialization.FindSerializerFor(new ClientRequest()));
        Assert.IsType<ClientMessageSerializer>(Member.System.Serialization.FindSerializerFor(new WatchBatch()));
    }

    private (IActorRef Session, SessionOpened Opened) Open(TestProbe client, OpenSession? open = null) => Open(client.Ref, client, open);

    private (IActorRef Session, SessionOpened Opened) Open(IActorRef client, OpenSession? open = null) => Open(client, null, open);

    private (IActorRef Session, SessionOpened Opened) Open(IActorRef client, TestProbe? probe, OpenSession? open)
    {
        Entry.Tell(new SessionHello { ClientName = "test" }, client);
        var challenge = probe is null ? ExpectMsg<SessionChallenge>(Answer) : probe.ExpectMsg<SessionChallenge>(Answer);
        var request = open ?? new OpenSession();
        request.Nonce = challenge.Nonce;
        request.ClientName = "test";
        Entry.Tell(request, client);
        var opened = probe is null ? ExpectMsg<SessionOpened>(Answer) : probe.ExpectMsg<SessionOpened>(Answer);
        return (probe is null ? LastSender : probe.LastSender, opened);
    }

    private SessionRefused Refused(IActorRef client, OpenSession open)
    {
        Entry.Tell(new SessionHello { ClientName = "test" }, client);
        open.Nonce = ExpectMsg<SessionChallenge>(Answer).Nonce;
        Entry.Tell(open, client);
        return ExpectMsg<SessionRefused>(Answer);
    }

    private ClientResponse Call(IActorRef session, ClientRequest request)
    {
        request.Id = ++_requests;
        session.Tell(request, TestActor);
        var response = ExpectMsg<ClientResponse>(Answer);
        Assert.Equal(request.Id, response.Id);
        return response;
    }

    private void Put(string key, string value) =>
        Member.PutAsync(new PutRequest { Key = Bytes(key), Value = Bytes(value) }).Wait(Answer);

    private async Task EnableAuthAsync()
    {
        await Member.Auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "secret" }, null, CancellationToken.None);
        await Member.Auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" }, null, CancellationToken.None);
        await Member.Auth.AuthEnableAsync(new AuthEnableRequest(), null, CancellationToken.None);
    }

    private static string[] Values(WatchBatch batch) => batch.Response.Events.Select(e => e.Kv.Value.ToStringUtf8()).ToArray();

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
