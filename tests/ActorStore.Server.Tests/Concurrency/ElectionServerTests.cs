using ActorStore.Protocol.Errors;
using ActorStore.Server.Concurrency;
using Google.Protobuf;
using V3electionpb;
using Xunit;
using static ActorStore.Server.Tests.Concurrency.SingleMember;

namespace ActorStore.Server.Tests.Concurrency;

/// <summary>etcd's v3election semantics on one member: campaign order, proclaim, leader, resign, observe.</summary>
public sealed class ElectionServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_lone_candidate_leads_at_once_with_its_key_revision_and_lease()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var lease = await cluster.GrantAsync();

        var won = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("e"), Lease = lease, Value = Bytes("a") });

        Assert.Equal("e", won.Leader.Name.ToStringUtf8());
        Assert.Equal("e/" + Hex(lease), won.Leader.Key.ToStringUtf8());
        Assert.Equal(lease, won.Leader.Lease);
        Assert.Equal(won.Header.Revision, won.Leader.Rev);
        var kv = await cluster.GetAsync(won.Leader.Key);
        Assert.Equal("a", kv!.Value.ToStringUtf8());
        Assert.Equal(lease, kv.Lease);
        Assert.Equal(won.Leader.Rev, kv.CreateRevision);
    }

    [Fact]
    public async Task Leader_answers_etcds_no_leader_error_then_the_current_leaders_value()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        // Keys just outside the prefix "e/" (the name itself, and "e0" where the prefix's range ends) take no part,
        // though they are older than any candidate.
        await cluster.Member.PutAsync(new Etcdserverpb.PutRequest { Key = Bytes("e"), Value = Bytes("other") });
        await cluster.Member.PutAsync(new Etcdserverpb.PutRequest { Key = Bytes("e0"), Value = Bytes("other") });

        var none = await Assert.ThrowsAsync<RpcException>(() => elections.LeaderAsync(new LeaderRequest { Name = Bytes("e") }));
        Assert.Equal(StatusCode.Unknown, none.Status);
        Assert.Equal("election: no leader", none.Message);

        var won = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("e"), Lease = await cluster.GrantAsync(), Value = Bytes("v1") });
        var leader = await elections.LeaderAsync(new LeaderRequest { Name = Bytes("e") });
        Assert.Equal(won.Leader.Key, leader.Kv.Key);
        Assert.Equal("v1", leader.Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task The_second_candidate_waits_until_the_leader_resigns()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        var leading = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("e"), Lease = first, Value = Bytes("one") });

        var campaigning = elections.CampaignAsync(new CampaignRequest { Name = Bytes("e"), Lease = second, Value = Bytes("two") });
        var candidate = await cluster.WaitForKeyAsync(Bytes("e/" + Hex(second)));
        await cluster.AssertStillWaitingAsync(campaigning);
        Assert.Equal("one", (await elections.LeaderAsync(new LeaderRequest { Name = Bytes("e") })).Kv.Value.ToStringUtf8());

        var resigned = await elections.ResignAsync(new ResignRequest { Leader = leading.Leader });
        var won = await campaigning.WaitAsync(Patience);

        Assert.Null(await cluster.GetAsync(leading.Leader.Key));
        Assert.True(resigned.Header.Revision > candidate.CreateRevision);
        Assert.Equal(candidate.CreateRevision, won.Leader.Rev);
        // The header is the one of the step that placed the candidate, as etcd's.
        Assert.Equal(candidate.CreateRevision, won.Header.Revision);
        Assert.Equal("two", (await elections.LeaderAsync(new LeaderRequest { Name = Bytes("e") })).Kv.Value.ToStringUtf8());
    }

    [Fact]
    public async Task Proclaim_updates_the_value_until_the_leader_resigns_then_answers_not_leader()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var won = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("p"), Lease = await cluster.GrantAsync(), Value = Bytes("v1") });

        var proclaimed = await elections.ProclaimAsync(new ProclaimRequest { Leader = won.Leader, Value = Bytes("v2") });
        var kv = await cluster.GetAsync(won.Leader.Key);
        Assert.Equal("v2", kv!.Value.ToStringUtf8());
        Assert.Equal(kv.ModRevision, proclaimed.Header.Revision);
        Assert.Equal(won.Leader.Rev, kv.CreateRevision);

        var stale = new LeaderKey(won.Leader) { Rev = won.Leader.Rev + 100 };
        var wrongRevision = await Assert.ThrowsAsync<RpcException>(() => elections.ProclaimAsync(new ProclaimRequest { Leader = stale, Value = Bytes("x") }));
        Assert.Equal("election: not leader", wrongRevision.Message);
        // Resigning with a stale revision deletes nothing and still answers a header.
        await elections.ResignAsync(new ResignRequest { Leader = stale });
        Assert.NotNull(await cluster.GetAsync(won.Leader.Key));

        await elections.ResignAsync(new ResignRequest { Leader = won.Leader });
        var notLeader = await Assert.ThrowsAsync<RpcException>(() => elections.ProclaimAsync(new ProclaimRequest { Leader = won.Leader, Value = Bytes("v3") }));
        Assert.Equal(StatusCode.Unknown, notLeader.Status);
        Assert.Equal("election: not leader", notLeader.Message);
        Assert.Null(await cluster.GetAsync(won.Leader.Key));
    }

    [Fact]
    public async Task Proclaim_and_resign_without_a_leader_key_answer_etcds_error()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;

        var proclaim = await Assert.ThrowsAsync<RpcException>(() => elections.ProclaimAsync(new ProclaimRequest { Value = Bytes("v") }));
        var resign = await Assert.ThrowsAsync<RpcException>(() => elections.ResignAsync(new ResignRequest()));

        Assert.Equal("\"leader\" field must be provided", proclaim.Message);
        Assert.Equal(StatusCode.Unknown, resign.Status);
        Assert.Equal(proclaim.Message, resign.Message);
    }

    [Fact]
    public async Task Campaigning_again_with_the_same_lease_keeps_the_place_and_proclaims_the_new_value()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var lease = await cluster.GrantAsync();
        var first = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("r"), Lease = lease, Value = Bytes("v1") });

        var again = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("r"), Lease = lease, Value = Bytes("v2") });

        Assert.Equal(first.Leader, again.Leader);
        Assert.Equal(first.Header.Revision, again.Header.Revision);
        var kv = await cluster.GetAsync(first.Leader.Key);
        Assert.Equal("v2", kv!.Value.ToStringUtf8());
        Assert.Equal(2, kv.Version);
    }

    [Fact]
    public async Task A_candidate_canceled_while_waiting_withdraws()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        await elections.CampaignAsync(new CampaignRequest { Name = Bytes("w"), Lease = first, Value = Bytes("one") });
        using var cancel = new CancellationTokenSource();
        var campaigning = elections.CampaignAsync(new CampaignRequest { Name = Bytes("w"), Lease = second, Value = Bytes("two") }, cancel.Token);
        var key = Bytes("w/" + Hex(second));
        await cluster.WaitForKeyAsync(key);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => campaigning.WaitAsync(Patience));
        Assert.Null(await cluster.GetAsync(key));
    }

    [Fact]
    public async Task Campaign_with_lease_zero_binds_the_key_to_a_new_lease()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;

        var won = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("z"), Value = Bytes("v") });

        Assert.NotEqual(0, won.Leader.Lease);
        Assert.Equal("z/" + Hex(won.Leader.Lease), won.Leader.Key.ToStringUtf8());
        Assert.Equal(won.Leader.Lease, (await cluster.GetAsync(won.Leader.Key))!.Lease);
    }

    [Fact]
    public async Task Observe_reports_each_leader_and_value_in_order_starting_with_the_first_to_arrive()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var observed = elections.ObserveAsync(new LeaderRequest { Name = Bytes("o") }, stop.Token).GetAsyncEnumerator(stop.Token);
        // Nobody leads yet: the observer waits for the first candidate.
        var next = observed.MoveNextAsync().AsTask();
        await cluster.AssertStillWaitingAsync(next);

        var leading = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("o"), Lease = first, Value = Bytes("a1") });
        Assert.True(await next.WaitAsync(Patience));
        AssertLeader(observed.Current, leading.Leader.Key, "a1");
        Assert.Equal(leading.Leader.Rev, observed.Current.Header.Revision);

        var proclaimed = await elections.ProclaimAsync(new ProclaimRequest { Leader = leading.Leader, Value = Bytes("a2") });
        Assert.True(await observed.MoveNextAsync().AsTask().WaitAsync(Patience));
        AssertLeader(observed.Current, leading.Leader.Key, "a2");
        Assert.Equal(proclaimed.Header.Revision, observed.Current.Kv.ModRevision);

        var campaigning = elections.CampaignAsync(new CampaignRequest { Name = Bytes("o"), Lease = second, Value = Bytes("b1") });
        await cluster.WaitForKeyAsync(Bytes("o/" + Hex(second)));
        next = observed.MoveNextAsync().AsTask();
        await cluster.AssertStillWaitingAsync(next);

        await elections.ResignAsync(new ResignRequest { Leader = leading.Leader });
        var successor = await campaigning.WaitAsync(Patience);
        Assert.True(await next.WaitAsync(Patience));
        AssertLeader(observed.Current, successor.Leader.Key, "b1");

        // Revoking the leader's lease ends its term too; an observer started now sees nobody until the next candidate.
        await cluster.RevokeAsync(second);
        await using var late = elections.ObserveAsync(new LeaderRequest { Name = Bytes("o") }, stop.Token).GetAsyncEnumerator(stop.Token);
        var lateNext = late.MoveNextAsync().AsTask();
        await cluster.AssertStillWaitingAsync(lateNext);
        var third = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("o"), Lease = await cluster.GrantAsync(), Value = Bytes("c1") });
        Assert.True(await lateNext.WaitAsync(Patience));
        AssertLeader(late.Current, third.Leader.Key, "c1");
        Assert.True(await observed.MoveNextAsync().AsTask().WaitAsync(Patience));
        AssertLeader(observed.Current, third.Leader.Key, "c1");
    }

    [Fact]
    public async Task Observe_starts_with_the_current_leader()
    {
        await using var cluster = await StartAsync();
        var elections = cluster.Member.Concurrency;
        var won = await elections.CampaignAsync(new CampaignRequest { Name = Bytes("s"), Lease = await cluster.GrantAsync(), Value = Bytes("now") });
        await cluster.Member.PutAsync(new Etcdserverpb.PutRequest { Key = Bytes("later"), Value = Bytes("x") });

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var observed = elections.ObserveAsync(new LeaderRequest { Name = Bytes("s") }, stop.Token).GetAsyncEnumerator(stop.Token);

        Assert.True(await observed.MoveNextAsync().AsTask().WaitAsync(Patience));
        AssertLeader(observed.Current, won.Leader.Key, "now");
        Assert.Equal(won.Header.Revision + 1, observed.Current.Header.Revision);
    }

    private static void AssertLeader(LeaderResponse response, ByteString key, string value)
    {
        Assert.Equal(key, response.Kv.Key);
        Assert.Equal(value, response.Kv.Value.ToStringUtf8());
    }
}
