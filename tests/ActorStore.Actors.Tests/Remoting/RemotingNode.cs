using ActorStore.Actors.Remoting;
using ActorStore.TestKit;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ActorStore.Actors.Tests.Remoting;

/// <summary>An actor system with a transport on 127.0.0.1:0, a capturing logger, a probe at /user/probe and a probe for association events.</summary>
internal sealed class RemotingNode : IAsyncDisposable
{
    private RemotingNode(ActorSystem system, CapturingLoggerFactory logs, MessageSerializerRegistry serializers, RemoteSettings settings)
    {
        System = system;
        Logs = logs;
        Serializers = serializers;
        Settings = settings;
        Probe = new TestProbe(system, "probe");
        Events = new TestProbe(system, "events");
        system.EventStream.Subscribe<AssociationConnected>(Events.Ref);
        system.EventStream.Subscribe<AssociationDisconnected>(Events.Ref);
    }

    public ActorSystem System { get; }

    public CapturingLoggerFactory Logs { get; }

    public MessageSerializerRegistry Serializers { get; }

    public RemoteSettings Settings { get; private set; }

    public RemoteTransport Transport { get; private set; } = null!;

    public TestProbe Probe { get; }

    public TestProbe Events { get; }

    public string Address => Transport.Address;

    public static MessageSerializerRegistry DefaultSerializers() => new MessageSerializerRegistry()
        .Register("google.protobuf.StringValue", StringValue.Parser)
        .Register("google.protobuf.BytesValue", BytesValue.Parser)
        .Register("google.protobuf.Int32Value", Int32Value.Parser);

    public static async Task<RemotingNode> StartAsync(
        string name,
        ulong clusterId = 0xC1,
        ulong memberId = 1,
        Func<RemoteSettings, RemoteSettings>? configure = null,
        MessageSerializerRegistry? serializers = null)
    {
        var logs = new CapturingLoggerFactory();
        var system = ActorSystem.Create(name, new ActorSystemSettings { LoggerFactory = logs });
        var settings = new RemoteSettings
        {
            ListenHost = "127.0.0.1",
            ListenPort = 0,
            ClusterId = clusterId,
            MemberId = memberId,
            ReconnectBackoffMin = TimeSpan.FromMilliseconds(20),
            ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        settings = configure?.Invoke(settings) ?? settings;
        var node = new RemotingNode(system, logs, serializers ?? DefaultSerializers(), settings);
        node.Transport = await RemoteTransport.StartAsync(system, settings, node.Serializers);
        return node;
    }

    public IActorRef Remote(RemotingNode other, string path) => Transport.ResolveRemote(other.Address, path);

    public Task StopTransportAsync() => Transport.DisposeAsync().AsTask();

    /// <summary>A new transport on the port the previous one had (a restarted peer).</summary>
    public async Task StartTransportAgainAsync()
    {
        Settings = Settings with { ListenPort = Transport.Port };
        Transport = await RemoteTransport.StartAsync(System, Settings, Serializers);
    }

    /// <summary>Shuts down, then fails the test if the transport logged an error anywhere along the way.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
