using System.Collections.Frozen;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using V3electionpb;
using V3lockpb;

namespace ActorStore.Gateway.Json;

/// <summary>
/// etcd 3.4's grpc-gateway paths (rpc.pb.gw.go, v3lock.pb.gw.go, v3election.pb.gw.go), each bound to the gRPC method
/// it calls. HashKV shares /v3/maintenance/hash with Hash in etcd 3.4 and Hash answers there, so HashKV has no path;
/// AuthStatus does not exist before etcd 3.5.
/// </summary>
internal static class JsonGatewayRoutes
{
    public static FrozenDictionary<string, JsonGatewayRoute> Create(CallInvoker invoker)
    {
        var kv = new KV.KVClient(invoker);
        var watch = new Watch.WatchClient(invoker);
        var lease = new Lease.LeaseClient(invoker);
        var cluster = new Cluster.ClusterClient(invoker);
        var maintenance = new Maintenance.MaintenanceClient(invoker);
        var auth = new Auth.AuthClient(invoker);
        var locks = new V3lockpb.Lock.LockClient(invoker);
        var election = new Election.ElectionClient(invoker);

        var routes = new Dictionary<string, JsonGatewayRoute>(StringComparer.Ordinal)
        {
            ["/v3/kv/range"] = Unary<RangeRequest, RangeResponse>(kv.RangeAsync),
            ["/v3/kv/put"] = Unary<PutRequest, PutResponse>(kv.PutAsync),
            ["/v3/kv/deleterange"] = Unary<DeleteRangeRequest, DeleteRangeResponse>(kv.DeleteRangeAsync),
            ["/v3/kv/txn"] = Unary<TxnRequest, TxnResponse>(kv.TxnAsync),
            ["/v3/kv/compaction"] = Unary<CompactionRequest, CompactionResponse>(kv.CompactAsync),

            ["/v3/watch"] = new DuplexJsonRoute<WatchRequest, WatchResponse>(watch.Watch),

            ["/v3/lease/grant"] = Unary<LeaseGrantRequest, LeaseGrantResponse>(lease.LeaseGrantAsync),
            ["/v3/lease/revoke"] = Unary<LeaseRevokeRequest, LeaseRevokeResponse>(lease.LeaseRevokeAsync),
            ["/v3/kv/lease/revoke"] = Unary<LeaseRevokeRequest, LeaseRevokeResponse>(lease.LeaseRevokeAsync),
            ["/v3/lease/keepalive"] = new DuplexJsonRoute<LeaseKeepAliveRequest, LeaseKeepAliveResponse>(lease.LeaseKeepAlive),
            ["/v3/lease/timetolive"] = Unary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(lease.LeaseTimeToLiveAsync),
            ["/v3/kv/lease/timetolive"] = Unary<LeaseTimeToLiveRequest, LeaseTimeToLiveResponse>(lease.LeaseTimeToLiveAsync),
            ["/v3/lease/leases"] = Unary<LeaseLeasesRequest, LeaseLeasesResponse>(lease.LeaseLeasesAsync),
            ["/v3/kv/lease/leases"] = Unary<LeaseLeasesRequest, LeaseLeasesResponse>(lease.LeaseLeasesAsync),

            ["/v3/cluster/member/add"] = Unary<MemberAddRequest, MemberAddResponse>(cluster.MemberAddAsync),
            ["/v3/cluster/member/remove"] = Unary<MemberRemoveRequest, MemberRemoveResponse>(cluster.MemberRemoveAsync),
            ["/v3/cluster/member/update"] = Unary<MemberUpdateRequest, MemberUpdateResponse>(cluster.MemberUpdateAsync),
            ["/v3/cluster/member/list"] = Unary<MemberListRequest, MemberListResponse>(cluster.MemberListAsync),
            ["/v3/cluster/member/promote"] = Unary<MemberPromoteRequest, MemberPromoteResponse>(cluster.MemberPromoteAsync),

            ["/v3/maintenance/alarm"] = Unary<AlarmRequest, AlarmResponse>(maintenance.AlarmAsync),
            ["/v3/maintenance/status"] = Unary<StatusRequest, StatusResponse>(maintenance.StatusAsync),
            ["/v3/maintenance/defragment"] = Unary<DefragmentRequest, DefragmentResponse>(maintenance.DefragmentAsync),
            ["/v3/maintenance/hash"] = Unary<HashRequest, HashResponse>(maintenance.HashAsync),
            ["/v3/maintenance/snapshot"] = new ServerStreamingJsonRoute<SnapshotRequest, SnapshotResponse>(maintenance.Snapshot),
            ["/v3/maintenance/transfer-leadership"] = Unary<MoveLeaderRequest, MoveLeaderResponse>(maintenance.MoveLeaderAsync),

            ["/v3/auth/enable"] = Unary<AuthEnableRequest, AuthEnableResponse>(auth.AuthEnableAsync),
            ["/v3/auth/disable"] = Unary<AuthDisableRequest, AuthDisableResponse>(auth.AuthDisableAsync),
            ["/v3/auth/authenticate"] = Unary<AuthenticateRequest, AuthenticateResponse>(auth.AuthenticateAsync),
            ["/v3/auth/user/add"] = Unary<AuthUserAddRequest, AuthUserAddResponse>(auth.UserAddAsync),
            ["/v3/auth/user/get"] = Unary<AuthUserGetRequest, AuthUserGetResponse>(auth.UserGetAsync),
            ["/v3/auth/user/list"] = Unary<AuthUserListRequest, AuthUserListResponse>(auth.UserListAsync),
            ["/v3/auth/user/delete"] = Unary<AuthUserDeleteRequest, AuthUserDeleteResponse>(auth.UserDeleteAsync),
            ["/v3/auth/user/changepw"] = Unary<AuthUserChangePasswordRequest, AuthUserChangePasswordResponse>(auth.UserChangePasswordAsync),
            ["/v3/auth/user/grant"] = Unary<AuthUserGrantRoleRequest, AuthUserGrantRoleResponse>(auth.UserGrantRoleAsync),
            ["/v3/auth/user/revoke"] = Unary<AuthUserRevokeRoleRequest, AuthUserRevokeRoleResponse>(auth.UserRevokeRoleAsync),
            ["/v3/auth/role/add"] = Unary<AuthRoleAddRequest, AuthRoleAddResponse>(auth.RoleAddAsync),
            ["/v3/auth/role/get"] = Unary<AuthRoleGetRequest, AuthRoleGetResponse>(auth.RoleGetAsync),
            ["/v3/auth/role/list"] = Unary<AuthRoleListRequest, AuthRoleListResponse>(auth.RoleListAsync),
            ["/v3/auth/role/delete"] = Unary<AuthRoleDeleteRequest, AuthRoleDeleteResponse>(auth.RoleDeleteAsync),
            ["/v3/auth/role/grant"] = Unary<AuthRoleGrantPermissionRequest, AuthRoleGrantPermissionResponse>(auth.RoleGrantPermissionAsync),
            ["/v3/auth/role/revoke"] = Unary<AuthRoleRevokePermissionRequest, AuthRoleRevokePermissionResponse>(auth.RoleRevokePermissionAsync),

            ["/v3/lock/lock"] = Unary<LockRequest, LockResponse>(locks.LockAsync),
            ["/v3/lock/unlock"] = Unary<UnlockRequest, UnlockResponse>(locks.UnlockAsync),

            ["/v3/election/campaign"] = Unary<CampaignRequest, CampaignResponse>(election.CampaignAsync),
            ["/v3/election/proclaim"] = Unary<ProclaimRequest, ProclaimResponse>(election.ProclaimAsync),
            ["/v3/election/leader"] = Unary<LeaderRequest, LeaderResponse>(election.LeaderAsync),
            ["/v3/election/observe"] = new ServerStreamingJsonRoute<LeaderRequest, LeaderResponse>(election.Observe),
            ["/v3/election/resign"] = Unary<ResignRequest, ResignResponse>(election.ResignAsync),
        };
        return routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static UnaryJsonRoute<TRequest, TResponse> Unary<TRequest, TResponse>(Func<TRequest, CallOptions, AsyncUnaryCall<TResponse>> call)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse> => new(call);
}
