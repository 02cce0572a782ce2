using ActorStore.Protocol;
using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Auth;

/// <summary>
/// Applies the auth entries of the log to the auth store, refusing them as etcd 3.4's auth applier does: the calls
/// that manage auth need the root role, UserGet is also open to the user itself and RoleGet to holders of the role.
/// </summary>
public sealed class AuthApplier(AuthStore store, ITokenProvider tokens, Func<long> keyspaceRevision)
{
    public AuthStore Store => store;

    /// <summary>True when the entry is one of the auth requests this applier answers.</summary>
    public static bool Handles(InternalRaftRequest request) =>
        NeedsAdmin(request) || request.Authenticate is not null || request.AuthUserGet is not null || request.AuthRoleGet is not null;

    public IMessage Apply(InternalRaftRequest request, ulong index)
    {
        var caller = CallerOf(request.Header);
        if (NeedsAdmin(request))
        {
            store.CheckAdmin(caller);
        }
        IResponseWithHeader response =
            request.Authenticate is { } authenticate ? Authenticate(authenticate, index)
            : request.AuthEnable is not null ? Enable()
            : request.AuthDisable is not null ? Disable()
            : request.AuthUserAdd is { } userAdd ? UserAdd(userAdd)
            : request.AuthUserDelete is { } userDelete ? UserDelete(userDelete)
            : request.AuthUserChangePassword is { } change ? ChangePassword(change)
            : request.AuthUserGrantRole is { } grantRole ? GrantRole(grantRole)
            : request.AuthUserRevokeRole is { } revokeRole ? RevokeRole(revokeRole)
            : request.AuthUserGet is { } userGet ? UserGet(userGet, caller)
            : request.AuthUserList is not null ? UserList()
            : request.AuthRoleAdd is { } roleAdd ? RoleAdd(roleAdd)
            : request.AuthRoleDelete is { } roleDelete ? RoleDelete(roleDelete)
            : request.AuthRoleGet is { } roleGet ? RoleGet(roleGet, caller)
            : request.AuthRoleList is not null ? RoleList()
            : request.AuthRoleGrantPermission is { } grant ? GrantPermission(grant)
            : request.AuthRoleRevokePermission is { } revoke ? RevokePermission(revoke)
            : throw new InvalidOperationException("log entry carries no auth request");
        response.Header = new ResponseHeader { Revision = keyspaceRevision() };
        return (IMessage)response;
    }

    /// <summary>The caller a logged request names; entries from before auth have no header.</summary>
    public static AuthInfo CallerOf(RequestHeader? header) =>
        header is null ? AuthInfo.None : new AuthInfo(header.Username, header.AuthRevision);

    private static bool NeedsAdmin(InternalRaftRequest request) =>
        request.AuthEnable is not null || request.AuthDisable is not null
        || request.AuthUserAdd is not null || request.AuthUserDelete is not null || request.AuthUserChangePassword is not null
        || request.AuthUserGrantRole is not null || request.AuthUserRevokeRole is not null
        || request.AuthRoleAdd is not null || request.AuthRoleGrantPermission is not null || request.AuthRoleRevokePermission is not null
        || request.AuthRoleDelete is not null || request.AuthUserList is not null || request.AuthRoleList is not null;

    private AuthenticateResponse Authenticate(InternalAuthenticateRequest request, ulong index)
    {
        store.CheckCanAuthenticate(request.Name);
        return new AuthenticateResponse { Token = tokens.Assign(request.Name, store.Revision, request.SimpleToken, index) };
    }

    private AuthEnableResponse Enable()
    {
        store.Enable();
        return new AuthEnableResponse();
    }

    private AuthDisableResponse Disable()
    {
        var wasEnabled = store.Enabled;
        store.Disable();
        if (wasEnabled)
        {
            tokens.RevokeAll();
        }
        return new AuthDisableResponse();
    }

    private AuthUserAddResponse UserAdd(AuthUserAddRequest request)
    {
        var noPassword = request.Options?.NoPassword == true;
        store.AddUser(request.Name, noPassword ? null : PasswordHashOf(request.HashedPassword), noPassword);
        return new AuthUserAddResponse();
    }

    private AuthUserDeleteResponse UserDelete(AuthUserDeleteRequest request)
    {
        store.DeleteUser(request.Name);
        tokens.RevokeUser(request.Name);
        return new AuthUserDeleteResponse();
    }

    private AuthUserChangePasswordResponse ChangePassword(AuthUserChangePasswordRequest request)
    {
        store.ChangePassword(request.Name, PasswordHashOf(request.HashedPassword));
        tokens.RevokeUser(request.Name);
        return new AuthUserChangePasswordResponse();
    }

    private AuthUserGrantRoleResponse GrantRole(AuthUserGrantRoleRequest request)
    {
        store.GrantRole(request.User, request.Role);
        return new AuthUserGrantRoleResponse();
    }

    private AuthUserRevokeRoleResponse RevokeRole(AuthUserRevokeRoleRequest request)
    {
        store.RevokeRole(request.Name, request.Role);
        return new AuthUserRevokeRoleResponse();
    }

    private AuthUserGetResponse UserGet(AuthUserGetRequest request, AuthInfo caller)
    {
        try
        {
            store.CheckAdmin(caller);
        }
        catch (RpcException) when (request.Name == caller.Username)
        {
            // A user may always look up their own roles.
        }
        var user = store.FindUser(request.Name) ?? throw EtcdErrors.UserNotFound;
        var response = new AuthUserGetResponse();
        response.Roles.AddRange(user.Roles);
        return response;
    }

    private AuthUserListResponse UserList()
    {
        var response = new AuthUserListResponse();
        response.Users.AddRange(store.Users.Select(user => user.Name.ToStringUtf8()));
        return response;
    }

    private AuthRoleAddResponse RoleAdd(AuthRoleAddRequest request)
    {
        store.AddRole(request.Name);
        return new AuthRoleAddResponse();
    }

    private AuthRoleDeleteResponse RoleDelete(AuthRoleDeleteRequest request)
    {
        store.DeleteRole(request.Role);
        return new AuthRoleDeleteResponse();
    }

    private AuthRoleGetResponse RoleGet(AuthRoleGetRequest request, AuthInfo caller)
    {
        try
        {
            store.CheckAdmin(caller);
        }
        catch (RpcException) when (store.HasRole(caller.Username, request.Role))
        {
            // Holders of a role may read it.
        }
        var role = store.FindRole(request.Role) ?? throw EtcdErrors.RoleNotFound;
        var response = new AuthRoleGetResponse();
        response.Perm.AddRange(role.KeyPermission.Select(permission => permission.Clone()));
        return response;
    }

    private AuthRoleListResponse RoleList()
    {
        var response = new AuthRoleListResponse();
        response.Roles.AddRange(store.Roles.Select(role => role.Name.ToStringUtf8()));
        return response;
    }

    private AuthRoleGrantPermissionResponse GrantPermission(AuthRoleGrantPermissionRequest request)
    {
        store.GrantPermission(request.Name, request.Perm ?? new Authpb.Permission());
        return new AuthRoleGrantPermissionResponse();
    }

    private AuthRoleRevokePermissionResponse RevokePermission(AuthRoleRevokePermissionRequest request)
    {
        store.RevokePermission(request.Role, request.Key, request.RangeEnd);
        return new AuthRoleRevokePermissionResponse();
    }

    /// <summary>
    /// The hash made before proposing. An entry without one (written by a proposer that sent the password itself)
    /// would have to be hashed here, differently on each member: such entries are refused instead.
    /// </summary>
    private static string PasswordHashOf(string hashed) =>
        hashed.Length > 0 ? hashed : throw new RpcException(StatusCode.InvalidArgument, "actorstore: password hash missing from log entry");
}
