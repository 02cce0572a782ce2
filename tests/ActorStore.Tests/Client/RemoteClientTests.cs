using ActorStore.Client;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Protocol.Errors;
using ActorStore.Server.Tests.Peers;
using Akka.Actor;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.TestKit.Xunit2;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorStore.Tests.Client;

/// <summary>The client's own actor system (its settings, serializer, TLS) against a fake member over Akka.Remote.</summary>
public sealed class RemoteClientTests
{
    [Fact]
    public async Task A_program_built_actor_system_reads_and_watches_over_plain_tcp()
    {
        await using var member = RemoteFakeMember.Start(FreePorts.Next());
        var options = new ActorStoreClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) };
        options.Members.Add($"http://127.0.0.1:{member.Port}");
        var system = ActorSystem.Create("program", ActorStoreClient.Setup(options));
        try
        {
            var client = ActorStoreClient.Start(system, options);

            var range = await client.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("k") });
            Assert.Equal(42, range.Count);
            var unimplemented = await Assert.ThrowsAsync<RpcException>(() => client.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("k") }));
            Assert.Equal(StatusCode.Unimplemented, unimplemented.Status);

            var subscriber = new TestKit(system);
            await client.WatchAsync(new WatchCreateRequest { Key = ByteString.CopyFromUtf8("k") }, subscriber.TestActor);
            var created = subscriber.ExpectMsg<WatchUpdate>(TimeSpan.FromSeconds(10));
            Assert.Equal(7, created.Response.Header.Revision);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Hosting_registers_the_client_and_speaks_tls_with_the_members_ca()
    {
        using var ca = TestCertificates.Ca("client-tests-ca");
        using var memberCertificate = TestCertificates.Leaf(ca, "member", 21, ["127.0.0.1"], ["localhost"]);
        using var clientCertificate = TestCertificates.Leaf(ca, "root", 22, ["127.0.0.1"]);
        await using var member = RemoteFakeMember.Start(FreePorts.Next(), memberCertificate, ca);
        var options = new ActorStoreClientOptions { Certificate = clientCertificate, RequestTimeout = TimeSpan.FromSeconds(20) };
        options.Members.Add($"https://127.0.0.1:{member.Port}");
        options.TrustedCertificates.Add(ca);
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddActorStoreClient(options).AddAkka("program", builder => builder.WithActorStore(options)))
            .Build();
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<ActorStoreClient>();

            var range = await client.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("k") });

            Assert.Equal(42, range.Count);
            Assert.Equal(client.Ref, host.Services.GetRequiredService<ActorRegistry>().Get<ActorStoreClient>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Hosting_keeps_the_programs_own_remoting_settings()
    {
        var port = FreePorts.Next();
        var options = new ActorStoreClientOptions();
        options.Members.Add("http://127.0.0.1:1");
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("program", builder => builder
                .WithActorStore(options)
                .WithRemoting("127.0.0.1", port)))
            .Build();
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();

            Assert.Equal(port, ((ExtendedActorSystem)system).Provider.DefaultAddress.Port);
            Assert.False(system.Settings.Config.GetBoolean("akka.coordinated-shutdown.terminate-actor-system"));

            // Stopping the host still ends the actor system: the client's shutdown task does what Akka's would.
            await host.StopAsync();
            await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_member_whose_certificate_is_not_trusted_fails_requests_but_never_stops_the_program()
    {
        using var ca = TestCertificates.Ca("client-tests-ca");
        using var otherCa = TestCertificates.Ca("someone-else");
        using var memberCertificate = TestCertificates.Leaf(otherCa, "member", 31, ["127.0.0.1"]);
        using var clientCertificate = TestCertificates.Leaf(ca, "root", 32, ["127.0.0.1"]);
        await using var member = RemoteFakeMember.Start(FreePorts.Next(), memberCertificate, ca);
        var options = new ActorStoreClientOptions { Certificate = clientCertificate, RequestTimeout = TimeSpan.FromSeconds(3), ConnectTimeout = TimeSpan.FromSeconds(1) };
        options.Members.Add($"https://127.0.0.1:{member.Port}");
        options.TrustedCertificates.Add(ca);
        var system = ActorSystem.Create("program", ActorStoreClient.Setup(options));
        try
        {
            var client = ActorStoreClient.Start(system, options);

            var error = await Assert.ThrowsAsync<RpcException>(() => client.RangeAsync(new RangeRequest()));

            Assert.Equal(StatusCode.DeadlineExceeded, error.Status);
            // Akka.Remote ran CoordinatedShutdown for the refused handshake, and the actor system outlived it.
            Assert.Equal("TlsHandshakeFailureReason", CoordinatedShutdown.Get(system).ShutdownReason?.GetType().Name);
            Assert.False(system.WhenTerminated.IsCompleted);
            // The program's own actors still work.
            var echo = system.ActorOf(Props.Create(() => new EchoActor()));
            Assert.Equal("still here", await echo.Ask<string>("still here", TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => ReceiveAny(message => Sender.Tell(message));
    }
}
