using ActorStore.Gateway.Grpc;
using ActorStore.Gateway.Metrics;
using ActorStore.Protocol.Errors;
using ActorStore.Server;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// etcd's v3 gRPC services on a member. Every service etcd declares is mapped: the methods built so far call the
/// member, the rest answer Unimplemented with a message naming the work that builds them (<see cref="UnimplementedMessage"/>).
/// </summary>
public static class EtcdServices
{
    /// <summary>
    /// Registers the services (one instance each, for the member), their metrics (with the handling-time histogram
    /// when <paramref name="extensiveMetrics"/>, etcd's --metrics=extensive) and etcd's learner rule.
    /// </summary>
    public static void Add(IServiceCollection services, EtcdMember member, bool extensiveMetrics = false)
    {
        ArgumentNullException.ThrowIfNull(member);
        Add(services, () => member, extensiveMetrics);
    }

    /// <summary>
    /// The same with the member asked for when the first call needs it: a member's client server is built while the
    /// member starts, and listens once it has.
    /// </summary>
    public static void Add(IServiceCollection services, Func<EtcdMember> member, bool extensiveMetrics = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(member);
        // Made here, not by the container from a registered member: the container disposes what it makes, and the
        // member outlives every server that calls it.
        services.AddSingleton(_ => new KvService(member()));
        services.AddSingleton(_ => new WatchService(member()));
        services.AddSingleton(_ => new LeaseService(member()));
        services.AddSingleton(_ => new ClusterService(member()));
        services.AddSingleton(_ => new MaintenanceService(member()));
        services.AddSingleton(_ => new AuthService(member()));
        services.AddSingleton(_ => new LockService(member()));
        services.AddSingleton(_ => new ElectionService(member()));
        services.AddSingleton(_ => new LearnerRefusalInterceptor(member()));
        services.AddSingleton(_ => new GrpcServerMetrics(member().Metrics, extensiveMetrics));
        services.AddSingleton<GrpcMetricsInterceptor>();
        services.Configure<GrpcServiceOptions>(grpc =>
        {
            // Metrics first, so that calls the learner rule refuses are counted with their status too.
            grpc.Interceptors.Add<GrpcMetricsInterceptor>();
            grpc.Interceptors.Add<LearnerRefusalInterceptor>();
        });
    }

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGrpcService<KvService>();
        routes.MapGrpcService<WatchService>();
        routes.MapGrpcService<LeaseService>();
        routes.MapGrpcService<ClusterService>();
        routes.MapGrpcService<MaintenanceService>();
        routes.MapGrpcService<AuthService>();
        routes.MapGrpcService<LockService>();
        routes.MapGrpcService<ElectionService>();
    }

    /// <summary>The Unimplemented message for a declared method, naming what will build it.</summary>
    public static string UnimplementedMessage(string fullMethod)
    {
        ArgumentNullException.ThrowIfNull(fullMethod);
        var work = fullMethod switch
        {
            _ when fullMethod.StartsWith("/etcdserverpb.Watch/", StringComparison.Ordinal)
                || fullMethod.StartsWith("/etcdserverpb.Lease/", StringComparison.Ordinal)
                || fullMethod.StartsWith("/v3lockpb.", StringComparison.Ordinal)
                || fullMethod.StartsWith("/v3electionpb.", StringComparison.Ordinal) => "watches, leases, locks and elections",
            _ => "maintenance",
        };
        return EtcdErrors.NotYetImplemented(fullMethod.TrimStart('/')).Message + $" (it comes with the {work} work)";
    }
}
