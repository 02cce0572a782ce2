using ActorStore.Protocol.Errors;
using ActorStore.Server.Concurrency;
using Etcdserverpb;
using V3lockpb;
using Xunit;
using static ActorStore.Server.Tests.Concurrency.SingleMember;

namespace ActorStore.Server.Tests.Concurrency;

/// <summary>etcd's v3lock semantics on one member: keys per lease, waiting on the predecessor, fencing revisions.</summary>
public sealed class LockServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_uncontended_lock_is_the_lease_bound_key_name_slash_lease_hex()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var lease = await cluster.GrantAsync();

        var held = await locks.LockAsync(new LockRequest { Name = Bytes("jobs"), Lease = lease });

        Assert.Equal("jobs/" + Hex(lease), held.Key.ToStringUtf8());
        var kv = await cluster.GetAsync(held.Key);
        Assert.NotNull(kv);
        Assert.Equal(lease, kv.Lease);
        Assert.True(kv.Value.IsEmpty);
        Assert.Equal(kv.CreateRevision, held.Header.Revision);
        Assert.Equal(cluster.Member.Identity.MemberId, held.Header.MemberId);
    }

    [Fact]
    public async Task Lease_zero_binds_the_key_to_a_new_sixty_second_lease()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;

        var held = await locks.LockAsync(new LockRequest { Name = Bytes("auto") });

        var kv = await cluster.GetAsync(held.Key);
        Assert.NotNull(kv);
        Assert.NotEqual(0, kv.Lease);
        Assert.Equal("auto/" + Hex(kv.Lease), held.Key.ToStringUtf8());
        var ttl = await cluster.Member.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = kv.Lease });
        Assert.Equal(60, ttl.GrantedTTL);
    }

    [Fact]
    public async Task A_lease_that_does_not_exist_fails_as_etcd_relays_it_with_status_unknown()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;

        var error = await Assert.ThrowsAsync<RpcException>(() => locks.LockAsync(new LockRequest { Name = Bytes("l"), Lease = 12345 }));

        Assert.Equal(StatusCode.Unknown, error.Status);
        Assert.Equal("etcdserver: requested lease not found", error.Message);
        Assert.Null(await cluster.GetAsync(Bytes("l/3039")));
    }

    [Fact]
    public async Task The_second_contender_gets_the_lock_only_after_the_first_unlocks_with_a_higher_fencing_revision()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        var held = await locks.LockAsync(new LockRequest { Name = Bytes("m"), Lease = first });

        var waiting = locks.LockAsync(new LockRequest { Name = Bytes("m"), Lease = second });
        var waiterKey = await cluster.WaitForKeyAsync(Bytes("m/" + Hex(second)));
        await cluster.AssertStillWaitingAsync(waiting);

        var unlocked = await locks.UnlockAsync(new UnlockRequest { Key = held.Key });
        var acquired = await waiting.WaitAsync(Patience);

        Assert.Equal(waiterKey.Key, acquired.Key);
        Assert.Null(await cluster.GetAsync(held.Key));
        Assert.True(waiterKey.CreateRevision > held.Header.Revision, "fencing revisions increase");
        Assert.True(acquired.Header.Revision >= unlocked.Header.Revision);
    }

    [Fact]
    public async Task Revoking_the_holders_lease_hands_the_lock_on()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        await locks.LockAsync(new LockRequest { Name = Bytes("r"), Lease = first });
        var waiting = locks.LockAsync(new LockRequest { Name = Bytes("r"), Lease = second });
        await cluster.WaitForKeyAsync(Bytes("r/" + Hex(second)));
        await cluster.AssertStillWaitingAsync(waiting);

        await cluster.RevokeAsync(first);

        var acquired = await waiting.WaitAsync(Patience);
        Assert.Equal("r/" + Hex(second), acquired.Key.ToStringUtf8());
    }

    [Fact]
    public async Task Contenders_acquire_in_arrival_order_and_a_waiter_giving_up_wakes_nobody()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var leases = new long[4];
        for (var i = 0; i < leases.Length; i++)
        {
            leases[i] = await cluster.GrantAsync();
        }
        var holder = await locks.LockAsync(new LockRequest { Name = Bytes("q"), Lease = leases[0] });
        using var middleGivesUp = new CancellationTokenSource();
        var waiters = new List<Task<LockResponse>>();
        for (var i = 1; i < leases.Length; i++)
        {
            waiters.Add(locks.LockAsync(new LockRequest { Name = Bytes("q"), Lease = leases[i] }, i == 2 ? middleGivesUp.Token : default));
            await cluster.WaitForKeyAsync(Bytes("q/" + Hex(leases[i])));
        }

        // The last waiter's predecessor goes away, but the lock is still held: it must keep waiting.
        await middleGivesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiters[1].WaitAsync(Patience));
        Assert.Null(await cluster.GetAsync(Bytes("q/" + Hex(leases[2]))));
        await cluster.AssertStillWaitingAsync(waiters[2]);
        Assert.False(waiters[0].IsCompleted);

        var previousKey = holder.Key;
        var previousRevision = (await cluster.GetAsync(holder.Key))!.CreateRevision;
        foreach (var (waiter, lease) in new[] { (waiters[0], leases[1]), (waiters[2], leases[3]) })
        {
            await locks.UnlockAsync(new UnlockRequest { Key = previousKey });
            var acquired = await waiter.WaitAsync(Patience);
            Assert.Equal("q/" + Hex(lease), acquired.Key.ToStringUtf8());
            var revision = (await cluster.GetAsync(acquired.Key))!.CreateRevision;
            Assert.True(revision > previousRevision, "fencing revisions increase");
            (previousKey, previousRevision) = (acquired.Key, revision);
        }
    }

    [Fact]
    public async Task Locking_again_with_the_holders_lease_returns_at_once_with_the_same_key()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var lease = await cluster.GrantAsync();
        var first = await locks.LockAsync(new LockRequest { Name = Bytes("again"), Lease = lease });

        var second = await locks.LockAsync(new LockRequest { Name = Bytes("again"), Lease = lease }).WaitAsync(Patience);

        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Header.Revision, (await cluster.GetAsync(second.Key))!.CreateRevision);
    }

    [Fact]
    public async Task A_waiter_canceled_while_waiting_deletes_its_key()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var (first, second) = (await cluster.GrantAsync(), await cluster.GrantAsync());
        var held = await locks.LockAsync(new LockRequest { Name = Bytes("c"), Lease = first });
        using var cancel = new CancellationTokenSource();
        var waiting = locks.LockAsync(new LockRequest { Name = Bytes("c"), Lease = second }, cancel.Token);
        var waiterKey = Bytes("c/" + Hex(second));
        await cluster.WaitForKeyAsync(waiterKey);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        Assert.Null(await cluster.GetAsync(waiterKey));
        Assert.NotNull(await cluster.GetAsync(held.Key));
    }

    [Fact]
    public async Task Unlock_deletes_the_key_and_answers_the_deletes_header()
    {
        await using var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        var held = await locks.LockAsync(new LockRequest { Name = Bytes("u"), Lease = await cluster.GrantAsync() });

        var unlocked = await locks.UnlockAsync(new UnlockRequest { Key = held.Key });

        Assert.Equal(held.Header.Revision + 1, unlocked.Header.Revision);
        Assert.Null(await cluster.GetAsync(held.Key));
        var empty = await Assert.ThrowsAsync<RpcException>(() => locks.UnlockAsync(new UnlockRequest()));
        Assert.Equal(StatusCode.Unknown, empty.Status);
        Assert.Equal("etcdserver: key is not provided", empty.Message);
    }

    [Fact]
    public async Task A_call_made_after_the_member_stopped_fails_with_server_stopped_instead_of_waiting_forever()
    {
        var cluster = await StartAsync();
        var locks = cluster.Member.Concurrency;
        await cluster.DisposeAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => locks.UnlockAsync(new UnlockRequest { Key = Bytes("k") }).WaitAsync(Patience));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("etcdserver: server stopped", error.Message);
    }
}
