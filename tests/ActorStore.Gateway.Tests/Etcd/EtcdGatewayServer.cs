using ActorStore.Gateway.Etcd;
using ActorStore.Gateway.Grpc;
using ActorStore.Server;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Gateway.Tests.Etcd;

/// <summary>A one-member cluster on a temporary data dir whose etcd services tests serve through hosts of their own.</summary>
public sealed class EtcdGatewayServer : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-gateway-").FullName;
    private EtcdMember? _member;

    public EtcdMember Member => _member ?? throw new InvalidOperationException("The member has not started.");

    public async Task InitializeAsync()
    {
        _member = await EtcdMember.StartAsync(new MemberOptions
        {
            Name = "n1",
            DataDir = _dataDir,
            AdvertiseClientUrls = ["http://127.0.0.1:2379"],
            InitialAdvertisePeerUrls = ["http://127.0.0.1:2380"],
            InitialCluster = new Dictionary<string, IReadOnlyList<string>> { ["n1"] = ["http://127.0.0.1:2380"] },
        }, NullLoggerFactory.Instance);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await _member.IsHealthyAsync(patience.Token))
        {
            await Task.Delay(50, patience.Token);
        }
    }

    /// <summary>A gateway host on a free loopback port, as the member program starts it; the caller disposes it.</summary>
    public Task<GrpcHost> StartHostAsync() => GrpcHost.StartAsync(new GrpcHostOptions
    {
        Urls = ["http://127.0.0.1:0"],
        Server = new GrpcServerOptions { UnimplementedMessage = EtcdServices.UnimplementedMessage },
        ConfigureServices = services => EtcdServices.Add(services, Member),
        MapServices = EtcdServices.Map,
    });

    public async Task DisposeAsync()
    {
        if (_member is not null)
        {
            await _member.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
