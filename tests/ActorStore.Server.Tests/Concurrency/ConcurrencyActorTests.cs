using System.Threading.Channels;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Concurrency;
using Akka.Actor;
using V3electionpb;
using V3lockpb;
using Xunit;
using static ActorStore.Server.Tests.Concurrency.SingleMember;

namespace ActorStore.Server.Tests.Concurrency;

/// <summary>
/// The lock and election servers as actors: each pending call is a child that owns its key and its watch, and leaves
/// nothing behind when its caller goes away or the child is stopped.
/// </summary>
public sealed class ConcurrencyActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_lock_waiter_whose_caller_cancels_deletes_its_key_before_failing_the_call_and_stops()
    {
        await using var cluster = await StartAsync();
        using var cancel = new CancellationTokenSource();
        var (held, waiting, waiter) = await WaitBehindAHolderAsync(cluster, "a", cancel.Token);

        await cancel.CancelAsync();

        await ExpectTerminatedAsync(waiter, Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Completion.Task.WaitAsync(Patience));
        Assert.Null(await cluster.GetAsync(Bytes("a/" + Hex(waiting.Request.Lease))));
        Assert.NotNull(await cluster.GetAsync(held.Key));
    }

    [Fact]
    public async Task A_lock_waiter_that_acquires_keeps_its_key_for_the_caller_and_stops()
    {
        await using var cluster = await StartAsync();
        var (held, waiting, waiter) = await WaitBehindAHolderAsync(cluster, "k", CancellationToken.None);

        await cluster.Member.Concurrency.UnlockAsync(new UnlockRequest { Key = held.Key });

        var acquired = await waiting.Completion.Task.WaitAsync(Patience);
        await ExpectTerminatedAsync(waiter, Patience);
        Assert.NotNull(await cluster.GetAsync(acquired.Key));
    }

    [Fact]
    public async Task A_candidate_stopped_while_it_waits_withdraws_and_tells_its_caller_the_server_stopped()
    {
        await using var cluster = await StartAsync();
        var elections = Sys.ActorOf(ElectionServer.Props(new ConcurrencyClient(cluster.Member)));
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        var leading = await cluster.Member.Concurrency.CampaignAsync(new CampaignRequest { Name = Bytes("e"), Lease = first, Value = Bytes("one") });
        var campaigning = new ConcurrencyCall<CampaignRequest, CampaignResponse>(
            new CampaignRequest { Name = Bytes("e"), Lease = second, Value = Bytes("two") }, CancellationToken.None,
            new TaskCompletionSource<CampaignResponse>());
        elections.Tell(campaigning);
        var candidateKey = Bytes("e/" + Hex(second));
        await cluster.WaitForKeyAsync(candidateKey);
        var candidate = await OnlyChildOfAsync(elections);
        Watch(candidate);

        Sys.Stop(candidate);

        await ExpectTerminatedAsync(candidate, Patience);
        var stopped = await Assert.ThrowsAsync<RpcException>(() => campaigning.Completion.Task.WaitAsync(Patience));
        Assert.Equal(StatusCode.Unknown, stopped.Status);
        Assert.Equal("etcdserver: server stopped", stopped.Message);
        await cluster.WaitForKeyGoneAsync(candidateKey);
        Assert.NotNull(await cluster.GetAsync(leading.Leader.Key));
    }

    [Fact]
    public async Task An_observer_sends_the_leader_and_stops_with_its_leaders_completed_when_its_caller_goes_away()
    {
        await using var cluster = await StartAsync();
        var elections = Sys.ActorOf(ElectionServer.Props(new ConcurrencyClient(cluster.Member)));
        var won = await cluster.Member.Concurrency.CampaignAsync(new CampaignRequest { Name = Bytes("o"), Lease = await cluster.GrantAsync(), Value = Bytes("v") });
        var leaders = Channel.CreateUnbounded<LeaderResponse>();
        using var leave = new CancellationTokenSource();
        elections.Tell(new ObserveLeaders(new LeaderRequest { Name = Bytes("o") }, leave.Token, leaders.Writer));
        var first = await leaders.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(won.Leader.Key, first.Kv.Key);
        var observer = await OnlyChildOfAsync(elections);
        Watch(observer);

        await leave.CancelAsync();

        await ExpectTerminatedAsync(observer, Patience);
        await leaders.Reader.Completion.WaitAsync(Patience);
    }

    /// <summary>
    /// A lock <paramref name="name"/> held through the member's own lock server, and a second caller waiting for it at a
    /// lock server of this test's actor system: the call, and its waiter (watched), once the waiter's key exists.
    /// </summary>
    private async Task<(LockResponse Held, ConcurrencyCall<LockRequest, LockResponse> Waiting, IActorRef Waiter)> WaitBehindAHolderAsync(
        SingleMember cluster, string name, CancellationToken ct)
    {
        var locks = Sys.ActorOf(LockServer.Props(new ConcurrencyClient(cluster.Member)));
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        var held = await cluster.Member.Concurrency.LockAsync(new LockRequest { Name = Bytes(name), Lease = first });
        var waiting = new ConcurrencyCall<LockRequest, LockResponse>(
            new LockRequest { Name = Bytes(name), Lease = second }, ct, new TaskCompletionSource<LockResponse>());
        locks.Tell(waiting);
        await cluster.WaitForKeyAsync(Bytes(name + "/" + Hex(second)));
        var waiter = await OnlyChildOfAsync(locks);
        Watch(waiter);
        return (held, waiting, waiter);
    }

    private async Task<IActorRef> OnlyChildOfAsync(IActorRef server) =>
        await Sys.ActorSelection(server.Path / "*").ResolveOne(Patience);
}
