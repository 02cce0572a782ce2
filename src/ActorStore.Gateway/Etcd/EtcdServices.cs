using ActorStore.Gateway.Grpc;
using ActorStore.Protocol.Errors;
using ActorStore.Server;
using Etcdserverpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// Maps etcd's v3 gRPC methods onto a member. Every method etcd declares is registered: the ones built so far call
/// the member, the rest answer Unimplemented with a message naming the work that builds them.
/// </summary>
public static class EtcdServices
{
    public static GrpcServiceRegistry Register(GrpcServiceRegistry registry, EtcdMember member)
    {
        registry.AddUnary("/etcdserverpb.KV/Range", RangeRequest.Parser,
            (request, call) => member.RangeAsync(request, call.CancellationToken));
        registry.AddUnary("/etcdserverpb.KV/Put", PutRequest.Parser,
            (request, call) => member.PutAsync(request, call.CancellationToken, call.Deadline));
        registry.AddUnary("/etcdserverpb.KV/DeleteRange", DeleteRangeRequest.Parser,
            (request, call) => member.DeleteRangeAsync(request, call.CancellationToken, call.Deadline));
        registry.AddUnary("/etcdserverpb.KV/Txn", TxnRequest.Parser,
            (request, call) => member.TxnAsync(request, call.CancellationToken, call.Deadline));
        registry.AddUnary("/etcdserverpb.KV/Compact", CompactionRequest.Parser,
            (request, call) => member.CompactAsync(request, call.CancellationToken, call.Deadline));

        registry.AddUnary("/etcdserverpb.Maintenance/Status", StatusRequest.Parser,
            (_, call) => member.StatusAsync(call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Maintenance/Hash", HashRequest.Parser,
            (_, call) => member.HashAsync(call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Maintenance/HashKV", HashKVRequest.Parser,
            (request, call) => member.HashKVAsync(request, call.CancellationToken));

        registry.AddUnary("/etcdserverpb.Maintenance/Alarm", AlarmRequest.Parser,
            (request, call) => member.AlarmAsync(request, call.CancellationToken));

        registry.AddUnary("/etcdserverpb.Maintenance/MoveLeader", MoveLeaderRequest.Parser,
            (request, call) => member.MoveLeaderAsync(request, call.CancellationToken));

        registry.AddUnary("/etcdserverpb.Cluster/MemberAdd", MemberAddRequest.Parser,
            (request, call) => member.MemberAddAsync(request, call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Cluster/MemberRemove", MemberRemoveRequest.Parser,
            (request, call) => member.MemberRemoveAsync(request, call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Cluster/MemberUpdate", MemberUpdateRequest.Parser,
            (request, call) => member.MemberUpdateAsync(request, call.CancellationToken));
        registry.AddUnary("/etcdserverpb.Cluster/MemberPromote", MemberPromoteRequest.Parser,
            (request, call) => member.MemberPromoteAsync(request, call.CancellationToken));

        registry.AddUnary("/etcdserverpb.Cluster/MemberList", MemberListRequest.Parser,
            (_, call) => member.MemberListAsync(call.CancellationToken));

        WatchService.Register(registry, member);
        LeaseService.Register(registry, member);
        ConcurrencyServices.Register(registry, member);

        foreach (var service in RpcReflection.Descriptor.Services)
        {
            registry.AddServiceDescriptor(service, LaterWork);
        }
        foreach (var service in V3lockpb.V3LockReflection.Descriptor.Services)
        {
            registry.AddServiceDescriptor(service, LaterWork);
        }
        foreach (var service in V3electionpb.V3ElectionReflection.Descriptor.Services)
        {
            registry.AddServiceDescriptor(service, LaterWork);
        }
        return registry;
    }

    /// <summary>The Unimplemented message for a declared method, naming what will build it.</summary>
    private static string LaterWork(string fullMethod)
    {
        var work = fullMethod switch
        {
            _ when fullMethod.StartsWith("/etcdserverpb.Watch/", StringComparison.Ordinal)
                || fullMethod.StartsWith("/etcdserverpb.Lease/", StringComparison.Ordinal)
                || fullMethod.StartsWith("/v3lockpb.", StringComparison.Ordinal)
                || fullMethod.StartsWith("/v3electionpb.", StringComparison.Ordinal) => "watches, leases, locks and elections",
            _ when fullMethod.StartsWith("/etcdserverpb.Auth/", StringComparison.Ordinal) => "authentication",
            _ => "maintenance",
        };
        return EtcdErrors.NotYetImplemented(fullMethod.TrimStart('/')).Message + $" (it comes with the {work} work)";
    }
}
