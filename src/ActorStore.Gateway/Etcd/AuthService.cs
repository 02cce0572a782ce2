using ActorStore.Server;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Auth service: users, roles, permissions and tokens, through the member's auth requests.</summary>
public sealed class AuthService(EtcdMember member) : Auth.AuthBase
{
    public override async Task<AuthEnableResponse> AuthEnable(AuthEnableRequest request, ServerCallContext context) =>
        await member.Auth.AuthEnableAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthDisableResponse> AuthDisable(AuthDisableRequest request, ServerCallContext context) =>
        await member.Auth.AuthDisableAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    // Authenticate looks at no token: a client whose token went stale must be able to get a new one.
    public override Task<AuthenticateResponse> Authenticate(AuthenticateRequest request, ServerCallContext context) =>
        member.Auth.AuthenticateAsync(request, context.CancellationToken);

    public override async Task<AuthUserAddResponse> UserAdd(AuthUserAddRequest request, ServerCallContext context) =>
        await member.Auth.UserAddAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserGetResponse> UserGet(AuthUserGetRequest request, ServerCallContext context) =>
        await member.Auth.UserGetAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserListResponse> UserList(AuthUserListRequest request, ServerCallContext context) =>
        await member.Auth.UserListAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserDeleteResponse> UserDelete(AuthUserDeleteRequest request, ServerCallContext context) =>
        await member.Auth.UserDeleteAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserChangePasswordResponse> UserChangePassword(AuthUserChangePasswordRequest request, ServerCallContext context) =>
        await member.Auth.UserChangePasswordAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserGrantRoleResponse> UserGrantRole(AuthUserGrantRoleRequest request, ServerCallContext context) =>
        await member.Auth.UserGrantRoleAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthUserRevokeRoleResponse> UserRevokeRole(AuthUserRevokeRoleRequest request, ServerCallContext context) =>
        await member.Auth.UserRevokeRoleAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleAddResponse> RoleAdd(AuthRoleAddRequest request, ServerCallContext context) =>
        await member.Auth.RoleAddAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleGetResponse> RoleGet(AuthRoleGetRequest request, ServerCallContext context) =>
        await member.Auth.RoleGetAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleListResponse> RoleList(AuthRoleListRequest request, ServerCallContext context) =>
        await member.Auth.RoleListAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleDeleteResponse> RoleDelete(AuthRoleDeleteRequest request, ServerCallContext context) =>
        await member.Auth.RoleDeleteAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleGrantPermissionResponse> RoleGrantPermission(AuthRoleGrantPermissionRequest request, ServerCallContext context) =>
        await member.Auth.RoleGrantPermissionAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);

    public override async Task<AuthRoleRevokePermissionResponse> RoleRevokePermission(AuthRoleRevokePermissionRequest request, ServerCallContext context) =>
        await member.Auth.RoleRevokePermissionAsync(request, await context.CallerAsync(member).ConfigureAwait(false), context.CancellationToken).ConfigureAwait(false);
}
