using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client;
using ActorStore.EndToEnd.Cluster;
using Akka.Actor;
using Etcdserverpb;
using Grpc.Core;
using Xunit;
using Xunit.Abstractions;
using static ActorStore.EndToEnd.AkkaClient.RequestScenario;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>
/// An Akka.NET program (its own host and ActorSystem in the test process) uses a three-member mutual-TLS cluster
/// through actor messages: every request kind answers as the gRPC API does, watch events arrive once and in order
/// across kill -9 of the member the watch is on, a leader failover under a put load loses no acknowledged put and
/// applies none twice, a slow subscriber gets no more than its credits, and callers without credentials are refused.
/// </summary>
[Collection(AkkaClientCollection.Name)]
public sealed class AkkaClientTests(AkkaClientCluster fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => fixture.HealAsync();

    public Task DisposeAsync() => fixture.HealAsync();

    [Fact]
    public async Task Every_request_kind_answers_as_the_grpc_api_does()
    {
        using var channel = fixture.Grpc(0);
        var grpc = await RunAsync(Callers.Grpc(channel));
        await using var program = await ClientProgram.StartAsync(fixture.Options());
        var actors = await RunAsync(Callers.Actor(program.Client));
        output.WriteLine(string.Join('\n', actors));
        Assert.Equal(grpc, actors);

        var members = await program.Client.MemberListAsync(new MemberListRequest());
        var grpcMembers = await new Etcdserverpb.Cluster.ClusterClient(channel).MemberListAsync(new MemberListRequest());
        Assert.Equal(grpcMembers.Members, members.Members);
        var status = await program.Client.StatusAsync(new StatusRequest());
        Assert.Equal((await new Maintenance.MaintenanceClient(channel).StatusAsync(new StatusRequest())).Version, status.Version);
        Assert.Contains(members.Members, member => member.ID == status.Leader);
        var lease = await program.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        Assert.Contains((await program.Client.LeaseLeasesAsync(new LeaseLeasesRequest())).Leases, listed => listed.ID == lease.ID);
        await program.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
    }

    [Fact]
    public async Task A_range_larger_than_a_remote_frame_arrives_whole_and_equal_to_the_grpc_answer()
    {
        const string prefix = "akka/big/";
        using var channel = fixture.Grpc(0);
        var kv = new KV.KVClient(channel);
        // 24 values of 256 KiB: a 6 MiB answer, more than Akka.Remote's 4 MiB frame.
        for (var i = 0; i < 24; i++)
        {
            await kv.PutAsync(new PutRequest { Key = B($"{prefix}{i:D2}"), Value = Google.Protobuf.ByteString.CopyFrom(new byte[256 * 1024]) });
        }
        await using var program = await ClientProgram.StartAsync(fixture.Options());
        var range = new RangeRequest { Key = B(prefix), RangeEnd = B(RangeEnd(prefix)) };

        var viaActors = await program.Client.RangeAsync(range);
        var viaGrpc = await kv.RangeAsync(new RangeRequest(range) { Revision = viaActors.Header.Revision });

        Assert.Equal(24, viaActors.Kvs.Count);
        Assert.Equal(viaGrpc.Kvs, viaActors.Kvs);
        await kv.DeleteRangeAsync(new DeleteRangeRequest { Key = B(prefix), RangeEnd = B(RangeEnd(prefix)) });
    }

    [Fact]
    public async Task Watch_events_arrive_once_and_in_order_across_kill_of_the_member_the_watch_is_on()
    {
        const string prefix = "akka/w/";
        const int keys = 300;
        await using var program = await ClientProgram.StartAsync(fixture.Options());
        var start = (await program.Client.RangeAsync(new RangeRequest { Key = B(prefix) })).Header.Revision;
        var responses = new List<WatchResponse>();
        var subscriber = program.System.ActorOf(EventCollector.Props(responses));
        await program.Client.WatchAsync(
            new WatchCreateRequest { Key = B(prefix), RangeEnd = B(RangeEnd(prefix)), StartRevision = start + 1 }, subscriber, credits: 16);
        var attached = await IndexOfAsync((await program.Client.StatusAsync(new StatusRequest())).Header.MemberId);
        var writerIndex = (attached + 1) % fixture.Nodes.Members.Count;
        output.WriteLine($"watch on {fixture.Nodes[attached].Name}, writing through {fixture.Nodes[writerIndex].Name}");

        using var writer = fixture.Grpc(writerIndex);
        for (var i = 0; i < keys; i++)
        {
            if (i == keys / 3)
            {
                await fixture.Nodes.KillHardAsync(attached);
            }
            await CreateOnceAsync(writer, $"{prefix}{i:D4}", i.ToString());
        }

        var events = await Eventually.GetAsync(
            () => Task.FromResult(EventsOf(responses) is { Count: >= keys } all ? all : null), Wait,
            () => $"{EventsOf(responses).Count} of {keys} events arrived\n{fixture.Nodes.Logs()}");
        Assert.Equal(Enumerable.Range(0, keys).Select(i => $"{prefix}{i:D4}"), events.Select(e => e.Kv.Key.ToStringUtf8()));
        Assert.True(events.Zip(events.Skip(1)).All(pair => pair.First.Kv.ModRevision < pair.Second.Kv.ModRevision), "revisions out of order");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(keys, EventsOf(responses).Count);
    }

    [Fact]
    public async Task A_leader_failover_during_a_put_load_loses_no_acknowledged_put_and_applies_none_twice()
    {
        const string prefix = "akka/f/";
        const int requesters = 16;
        const int putsEach = 60;
        await using var program = await ClientProgram.StartAsync(fixture.Options());
        var leader = fixture.Nodes.Members.ToList().IndexOf(await fixture.Nodes.LeaderAsync());
        var acknowledged = new ConcurrentDictionary<string, string>();
        var failed = new ConcurrentDictionary<string, string>();
        var ackedAfterKill = 0;
        var killed = 0;
        var killing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task RequesterAsync(int requester)
        {
            for (var i = 0; i < putsEach; i++)
            {
                var key = $"{prefix}{requester:D2}/{i:D3}";
                try
                {
                    await program.Client.PutAsync(new PutRequest { Key = B(key), Value = B($"{requester}-{i}") });
                    acknowledged[key] = $"{requester}-{i}";
                    if (Volatile.Read(ref killed) == 1)
                    {
                        Interlocked.Increment(ref ackedAfterKill);
                    }
                    if (acknowledged.Count == requesters * putsEach / 3)
                    {
                        killing.TrySetResult();
                    }
                }
                catch (ActorStore.Protocol.Errors.RpcException e)
                {
                    failed[key] = e.Message;
                }
            }
        }

        var load = Task.WhenAll(Enumerable.Range(0, requesters).Select(RequesterAsync));
        await Task.WhenAny(killing.Task, load);
        await fixture.Nodes.KillHardAsync(leader);
        Volatile.Write(ref killed, 1);
        await load;
        output.WriteLine($"acknowledged {acknowledged.Count}, failed {failed.Count}, acknowledged after the kill {ackedAfterKill}");
        foreach (var reason in failed.Values.Distinct())
        {
            output.WriteLine("failed: " + reason);
        }

        await fixture.HealAsync();
        using var channel = fixture.Grpc((leader + 1) % fixture.Nodes.Members.Count);
        var stored = (await new KV.KVClient(channel).RangeAsync(new RangeRequest { Key = B(prefix), RangeEnd = B(RangeEnd(prefix)) }))
            .Kvs.ToDictionary(kv => kv.Key.ToStringUtf8());
        foreach (var (key, value) in acknowledged)
        {
            Assert.True(stored.TryGetValue(key, out var kv), $"acknowledged put of {key} is lost");
            Assert.Equal(value, kv.Value.ToStringUtf8());
        }
        Assert.All(stored.Values, kv => Assert.Equal(1, kv.Version));
        Assert.All(stored.Keys, key => Assert.True(acknowledged.ContainsKey(key) || failed.ContainsKey(key), $"{key} was never put"));
        Assert.True(ackedAfterKill > 0, "no put was acknowledged after the leader was killed: the client did not fail over");
    }

    [Fact]
    public async Task A_slow_subscriber_gets_no_more_than_its_credits_and_then_every_event_once()
    {
        const string prefix = "akka/s/";
        const int keys = 400;
        const int credits = 4;
        await using var program = await ClientProgram.StartAsync(fixture.Options());
        var start = (await program.Client.RangeAsync(new RangeRequest { Key = B(prefix) })).Header.Revision;
        var responses = new List<WatchResponse>();
        var subscriber = program.System.ActorOf(EventCollector.Props(responses, hold: true));
        await program.Client.WatchAsync(
            new WatchCreateRequest { Key = B(prefix), RangeEnd = B(RangeEnd(prefix)), StartRevision = start + 1 }, subscriber, credits);

        using var writer = fixture.Grpc(0);
        var kv = new KV.KVClient(writer);
        var writing = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < keys; i++)
        {
            await kv.PutAsync(new PutRequest { Key = B($"{prefix}{i:D4}"), Value = B("v") });
        }
        output.WriteLine($"{keys} puts with a stalled subscriber took {writing.ElapsedMilliseconds} ms");
        await Eventually.GetAsync(() => Task.FromResult<object?>(Count(responses) >= credits ? responses : null), Wait,
            () => $"{Count(responses)} updates arrived");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(credits, Count(responses));

        subscriber.Tell(new EventCollector.Release());
        var events = await Eventually.GetAsync(
            () => Task.FromResult(EventsOf(responses) is { Count: >= keys } all ? all : null), Wait,
            () => $"{EventsOf(responses).Count} of {keys} events arrived");
        Assert.Equal(Enumerable.Range(0, keys).Select(i => $"{prefix}{i:D4}"), events.Select(e => e.Kv.Key.ToStringUtf8()));
    }

    [Fact]
    public async Task Programs_without_credentials_are_refused_and_members_stay_healthy()
    {
        // Akka.Remote's TLS needs the program's own certificate: without one the client says so at start.
        var withoutCertificate = fixture.Options();
        withoutCertificate.Certificate = null;
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => ClientProgram.StartAsync(withoutCertificate));
        Assert.Contains("Certificate", missing.Message, StringComparison.Ordinal);
        // A certificate from a CA the members do not trust: the peer transport refuses it.
        var untrusted = fixture.Options();
        untrusted.Certificate = SelfSigned("root");
        untrusted.RequestTimeout = TimeSpan.FromSeconds(5);
        await AssertRefusedAsync(untrusted);
        await fixture.Nodes.LeaderAsync();

        using var channel = fixture.Grpc(0);
        var auth = new Etcdserverpb.Auth.AuthClient(channel);
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = "rootpw" });
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "alice", Password = "alicepw" });
        await auth.RoleAddAsync(new AuthRoleAddRequest { Name = "akka-auth" });
        await auth.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "akka-auth",
            Perm = new Authpb.Permission { PermType = Authpb.Permission.Types.Type.Readwrite, Key = B("akka/auth/"), RangeEnd = B(RangeEnd("akka/auth/")) },
        });
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "alice", Role = "akka-auth" });
        await auth.AuthEnableAsync(new AuthEnableRequest());
        try
        {
            var aliceToken = (await auth.AuthenticateAsync(new AuthenticateRequest { Name = "alice", Password = "alicepw" })).Token;
            var grpcAnonymous = Callers.Grpc(channel);
            var grpcAlice = Callers.Grpc(channel, new Grpc.Core.Metadata { { "token", aliceToken } });
            var inside = new PutRequest { Key = B("akka/auth/x"), Value = B("1") };
            var outside = new PutRequest { Key = B("akka/elsewhere"), Value = B("1") };

            await using (var anonymous = await ClientProgram.StartAsync(fixture.Options()))
            {
                var answer = await Callers.Actor(anonymous.Client)(inside);
                Assert.Equal("etcdserver: user name is empty", answer.Error);
                Assert.Equal(await grpcAnonymous(inside) is var g ? (g.Code, g.Error) : default, (answer.Code, answer.Error));
            }

            var aliceOptions = fixture.Options();
            aliceOptions.UserName = "alice";
            aliceOptions.Password = "alicepw";
            await using (var alice = await ClientProgram.StartAsync(aliceOptions))
            {
                var call = Callers.Actor(alice.Client);
                Assert.IsType<PutResponse>((await call(inside)).Response);
                var refused = await call(outside);
                Assert.Equal("etcdserver: permission denied", refused.Error);
                Assert.Equal(await grpcAlice(outside) is var g ? (g.Code, g.Error) : default, (refused.Code, refused.Error));
            }

            var wrongPassword = fixture.Options();
            wrongPassword.UserName = "alice";
            wrongPassword.Password = "not-alices";
            wrongPassword.RequestTimeout = TimeSpan.FromSeconds(10);
            await using (var intruder = await ClientProgram.StartAsync(wrongPassword))
            {
                var answer = await Callers.Actor(intruder.Client)(inside);
                Assert.Null(answer.Response);
                Assert.Contains("authentication failed, invalid user ID or password", answer.Error, StringComparison.Ordinal);
            }

            // The client certificate's common name (root) is the user, as for a TLS client of the gRPC API.
            var byCertificate = fixture.Options();
            byCertificate.AuthenticateWithCertificate = true;
            await using (var root = await ClientProgram.StartAsync(byCertificate))
            {
                Assert.IsType<PutResponse>((await Callers.Actor(root.Client)(outside)).Response);
            }
        }
        finally
        {
            var rootToken = (await auth.AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = "rootpw" })).Token;
            var asRoot = new Grpc.Core.Metadata { { "token", rootToken } };
            await auth.AuthDisableAsync(new AuthDisableRequest(), asRoot);
            await auth.UserDeleteAsync(new AuthUserDeleteRequest { Name = "alice" });
            await auth.UserDeleteAsync(new AuthUserDeleteRequest { Name = "root" });
            await auth.RoleDeleteAsync(new AuthRoleDeleteRequest { Role = "akka-auth" });
        }
    }

    private async Task AssertRefusedAsync(ActorStoreClientOptions options)
    {
        await using var program = await ClientProgram.StartAsync(options);
        var answer = await Callers.Actor(program.Client)(new PutRequest { Key = B("akka/refused"), Value = B("1") });
        output.WriteLine($"refused: {answer.Code} {answer.Error}");
        Assert.Null(answer.Response);
        // As an etcd client whose handshakes are refused: no member ever answers, the request runs out of time.
        Assert.Contains(answer.Code, new[] { (int)StatusCode.Unavailable, (int)StatusCode.DeadlineExceeded });
    }

    private static X509Certificate2 SelfSigned(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private async Task<int> IndexOfAsync(ulong memberId)
    {
        for (var i = 0; i < fixture.Nodes.Members.Count; i++)
        {
            if (await fixture.Nodes.IdOfAsync(fixture.Nodes[i]) == memberId)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"no member has id {memberId:x}");
    }

    /// <summary>Puts <paramref name="key"/> unless it exists: a retry after an unknown outcome cannot write it twice.</summary>
    private static async Task CreateOnceAsync(Grpc.Net.Client.GrpcChannel channel, string key, string value)
    {
        var kv = new KV.KVClient(channel);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = B(key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = B(key), Value = B(value) } });
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            try
            {
                await kv.TxnAsync(txn, deadline: DateTime.UtcNow.AddSeconds(5));
                return;
            }
            catch (Grpc.Core.RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int Count(List<WatchResponse> responses)
    {
        lock (responses)
        {
            return responses.Count;
        }
    }

    private static List<Mvccpb.Event> EventsOf(List<WatchResponse> responses)
    {
        lock (responses)
        {
            return responses.SelectMany(response => response.Events).ToList();
        }
    }
}
