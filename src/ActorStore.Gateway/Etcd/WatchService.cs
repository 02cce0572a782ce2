using ActorStore.Gateway.Grpc;
using ActorStore.Server;

namespace ActorStore.Gateway.Etcd;

/// <summary>Placeholder: replaced by the work that builds these methods.</summary>
public static class WatchService
{
    public static void Register(GrpcServiceRegistry registry, EtcdMember member) => _ = (registry, member);
}
