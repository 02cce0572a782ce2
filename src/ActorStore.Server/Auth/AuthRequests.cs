using System.Security.Cryptography;
using ActorStore.Protocol.Errors;
using Etcdserverpb;

namespace ActorStore.Server.Auth;

/// <summary>
/// etcd's Auth service on a member: every call goes through the log (etcd 3.4 sends even the reads there), with the
/// caller in the entry's header so the apply side checks it. Passwords are hashed here, on the member that receives
/// them, so that no password is logged or replicated; Authenticate checks the password here, and its log entry
/// names only the user.
/// </summary>
public sealed class AuthRequests(EtcdMember member, MemberOptions options, AuthStateBoard board, ITokenProvider tokens) : IDisposable
{
    private const string TokenLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private readonly PasswordHasher _hasher = new(options.BcryptCost);

    /// <summary>The auth store's flag and revision as last applied on this member.</summary>
    public AuthState State => board.Current;

    /// <summary>
    /// Who a call comes from: the owner of its token (an unknown token is refused), else with client certificate
    /// auth the certificate's common name, else nobody. The revision is the member's current one, as etcd stamps it.
    /// </summary>
    public async Task<AuthInfo?> CallerAsync(string? token, string? certificateCommonName, CancellationToken ct)
    {
        if (token is not null)
        {
            return await tokens.InfoAsync(token, board.Current.Revision, ct).ConfigureAwait(false) ?? throw EtcdErrors.InvalidAuthToken;
        }
        return options.ClientCertAuth && certificateCommonName is { Length: > 0 } cn ? new AuthInfo(cn, board.Current.Revision) : null;
    }

    /// <summary>etcd's check for admin-only calls served outside the log (members, defragment, snapshot, hashes).</summary>
    public Task CheckAdminAsync(AuthInfo? caller, CancellationToken ct) =>
        board.Current.Enabled
            ? member.ReadAsync<EmptyResponse>(view => { view.Auth.CheckAdmin(caller); return new EmptyResponse(); }, serializable: true, ct)
            : Task.CompletedTask;

    /// <summary>
    /// Checks that the caller may read and/or write the keys [key, rangeEnd) (one key when rangeEnd is empty), for
    /// calls whose keys the member derives itself (locks, elections) and that reach the log as the member's own.
    /// </summary>
    public Task CheckKeysAsync(AuthInfo? caller, Google.Protobuf.ByteString key, Google.Protobuf.ByteString rangeEnd, bool read, bool write, CancellationToken ct) =>
        board.Current.Enabled
            ? member.ReadAsync<EmptyResponse>(view =>
            {
                if (read)
                {
                    view.Auth.CheckPermitted(caller ?? AuthInfo.None, key.Span, rangeEnd.Span, write: false);
                }
                if (write)
                {
                    view.Auth.CheckPermitted(caller ?? AuthInfo.None, key.Span, rangeEnd.Span, write: true);
                }
                return new EmptyResponse();
            }, serializable: true, ct)
            : Task.CompletedTask;

    /// <summary>
    /// A lock or election name: its contenders' keys (name/...) are read, and written when <paramref name="write"/>.
    /// etcd 3.4 runs these calls through an in-process client that carries the caller's token, so its KV checks apply;
    /// here they are checked before the call, against the keys the call will touch.
    /// </summary>
    public Task CheckContendersAsync(AuthInfo? caller, Google.Protobuf.ByteString name, bool write, CancellationToken ct)
    {
        var prefix = Concurrency.ConcurrencyKeys.PrefixOf(name);
        return CheckKeysAsync(caller, prefix, Concurrency.ConcurrencyKeys.PrefixEnd(prefix), read: true, write, ct);
    }

    /// <summary>
    /// Why a watch may not be created, or null. etcd 3.4 checks a watch's range when it is created, and only then;
    /// ActorStore checks open watches again when the auth store changes (see <see cref="OpenWatchRefusalAsync"/>).
    /// Unlike etcd 3.4, a range end of "\0" is checked as every key from the key on (etcd checks the key alone).
    /// </summary>
    public async Task<string?> WatchRefusalAsync(Func<Task<AuthInfo?>> caller, WatchCreateRequest create, CancellationToken ct)
    {
        if (!board.Current.Enabled)
        {
            return null;
        }
        try
        {
            var who = await caller().ConfigureAwait(false) ?? AuthInfo.None;
            var key = create.Key.IsEmpty ? new byte[] { 0 } : create.Key.ToByteArray();
            await member.ReadAsync<EmptyResponse>(view =>
            {
                view.Auth.CheckPermitted(who, key, create.RangeEnd.Span, write: false);
                return new EmptyResponse();
            }, serializable: true, ct).ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.Status is StatusCode.Unauthenticated or StatusCode.InvalidArgument or StatusCode.PermissionDenied)
        {
            // Invalid token, old revision and no user say so; every other refusal reads "permission denied". etcd
            // writes the reason as its gRPC error prints, status code and all.
            var reason = e.Message == EtcdErrors.InvalidAuthToken.Message || e.Message == EtcdErrors.AuthOldRevision.Message || e.Message == EtcdErrors.UserEmpty.Message
                ? e
                : EtcdErrors.PermissionDenied;
            return $"rpc error: code = {reason.Status} desc = {reason.Message}";
        }
    }

    /// <summary>
    /// Why an open watch created by <paramref name="user"/> (null: nobody) may no longer see its range, or null: the
    /// user's permissions as they are now, whatever revision the user's token had.
    /// </summary>
    public Task<string?> OpenWatchRefusalAsync(AuthInfo? user, WatchCreateRequest create, CancellationToken ct) =>
        WatchRefusalAsync(() => Task.FromResult<AuthInfo?>(user is { Revision: > 0 } ? user with { Revision = ulong.MaxValue } : null), create, ct);

    /// <summary>Completes once auth is turned on or off or its revision moves past <paramref name="seen"/>.</summary>
    public Task ChangedSinceAsync(AuthState seen, CancellationToken ct) => board.ChangedSinceAsync(seen, ct);

    public async Task<AuthenticateResponse> AuthenticateAsync(AuthenticateRequest request, CancellationToken ct)
    {
        member.RefuseOnLearner();
        while (true)
        {
            var stored = (Hash: "", Revision: 0UL);
            await member.ReadAsync<EmptyResponse>(view => { stored = view.Auth.PasswordOf(request.Name); return new EmptyResponse(); }, serializable: false, ct)
                .ConfigureAwait(false);
            if (!await _hasher.VerifyAsync(request.Name, request.Password, stored.Hash, ct).ConfigureAwait(false))
            {
                throw EtcdErrors.AuthFailed;
            }
            // The password stays here: the entry names the user and carries the token prefix only.
            var entry = new InternalAuthenticateRequest { Name = request.Name, SimpleToken = RandomNumberGenerator.GetString(TokenLetters, 16) };
            var response = await member.ProposeAsync<AuthenticateResponse>(new InternalRaftRequest { Authenticate = entry }, ct).ConfigureAwait(false);
            // A password changed between the check and the entry: check again against the new one, as etcd does.
            if (stored.Revision == board.Current.Revision)
            {
                return response;
            }
        }
    }

    public Task<AuthEnableResponse> AuthEnableAsync(AuthEnableRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthEnableResponse>(new InternalRaftRequest { AuthEnable = request }, caller, ct);

    public Task<AuthDisableResponse> AuthDisableAsync(AuthDisableRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthDisableResponse>(new InternalRaftRequest { AuthDisable = request }, caller, ct);

    public async Task<AuthUserAddResponse> UserAddAsync(AuthUserAddRequest request, AuthInfo? caller, CancellationToken ct)
    {
        var entry = new AuthUserAddRequest { Name = request.Name, Options = request.Options };
        if (request.Options?.NoPassword != true && request.Name.Length > 0)
        {
            entry.HashedPassword = await _hasher.HashAsync(request.Name, request.Password, ct).ConfigureAwait(false);
        }
        return await ProposeAsync<AuthUserAddResponse>(new InternalRaftRequest { AuthUserAdd = entry }, caller, ct).ConfigureAwait(false);
    }

    public async Task<AuthUserChangePasswordResponse> UserChangePasswordAsync(AuthUserChangePasswordRequest request, AuthInfo? caller, CancellationToken ct)
    {
        var entry = new AuthUserChangePasswordRequest
        {
            Name = request.Name,
            HashedPassword = await _hasher.HashAsync(request.Name, request.Password, ct).ConfigureAwait(false),
        };
        return await ProposeAsync<AuthUserChangePasswordResponse>(new InternalRaftRequest { AuthUserChangePassword = entry }, caller, ct).ConfigureAwait(false);
    }

    public Task<AuthUserGetResponse> UserGetAsync(AuthUserGetRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthUserGetResponse>(new InternalRaftRequest { AuthUserGet = request }, caller, ct);

    public Task<AuthUserListResponse> UserListAsync(AuthUserListRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthUserListResponse>(new InternalRaftRequest { AuthUserList = request }, caller, ct);

    public Task<AuthUserDeleteResponse> UserDeleteAsync(AuthUserDeleteRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthUserDeleteResponse>(new InternalRaftRequest { AuthUserDelete = request }, caller, ct);

    public Task<AuthUserGrantRoleResponse> UserGrantRoleAsync(AuthUserGrantRoleRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthUserGrantRoleResponse>(new InternalRaftRequest { AuthUserGrantRole = request }, caller, ct);

    public Task<AuthUserRevokeRoleResponse> UserRevokeRoleAsync(AuthUserRevokeRoleRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthUserRevokeRoleResponse>(new InternalRaftRequest { AuthUserRevokeRole = request }, caller, ct);

    public Task<AuthRoleAddResponse> RoleAddAsync(AuthRoleAddRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleAddResponse>(new InternalRaftRequest { AuthRoleAdd = request }, caller, ct);

    public Task<AuthRoleGetResponse> RoleGetAsync(AuthRoleGetRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleGetResponse>(new InternalRaftRequest { AuthRoleGet = request }, caller, ct);

    public Task<AuthRoleListResponse> RoleListAsync(AuthRoleListRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleListResponse>(new InternalRaftRequest { AuthRoleList = request }, caller, ct);

    public Task<AuthRoleDeleteResponse> RoleDeleteAsync(AuthRoleDeleteRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleDeleteResponse>(new InternalRaftRequest { AuthRoleDelete = request }, caller, ct);

    public Task<AuthRoleGrantPermissionResponse> RoleGrantPermissionAsync(AuthRoleGrantPermissionRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleGrantPermissionResponse>(new InternalRaftRequest { AuthRoleGrantPermission = request }, caller, ct);

    public Task<AuthRoleRevokePermissionResponse> RoleRevokePermissionAsync(AuthRoleRevokePermissionRequest request, AuthInfo? caller, CancellationToken ct) =>
        ProposeAsync<AuthRoleRevokePermissionResponse>(new InternalRaftRequest { AuthRoleRevokePermission = request }, caller, ct);

    private Task<T> ProposeAsync<T>(InternalRaftRequest request, AuthInfo? caller, CancellationToken ct) where T : class, Google.Protobuf.IMessage
    {
        member.RefuseOnLearner();
        return member.ProposeAsync<T>(request.WithCaller(caller), ct);
    }

    public void Dispose()
    {
        _hasher.Dispose();
        (tokens as IDisposable)?.Dispose();
    }
}
