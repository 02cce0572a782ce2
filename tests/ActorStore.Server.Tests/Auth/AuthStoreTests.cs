using ActorStore.Protocol.Errors;
using ActorStore.Server.Auth;
using Authpb;
using Etcdserverpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Server.Tests.Auth;

/// <summary>The auth store's rules and the order of its checks, as etcd 3.4's.</summary>
public sealed class AuthStoreTests
{
    private readonly AuthStore _store = new();

    private static void Refused(RpcException expected, Action action)
    {
        var e = Assert.Throws<RpcException>(action);
        Assert.Equal(expected.Message, e.Message);
        Assert.Equal(expected.Status, e.Status);
    }

    private static Permission Perm(Permission.Types.Type type, string key, string rangeEnd = "") =>
        new() { PermType = type, Key = ByteString.CopyFromUtf8(key), RangeEnd = ByteString.CopyFromUtf8(rangeEnd) };

    private void EnableWithRoot()
    {
        _store.AddUser("root", "hash", noPassword: false);
        _store.GrantRole("root", "root");
        _store.Enable();
    }

    [Fact]
    public void Enabling_needs_a_root_user_that_holds_the_root_role()
    {
        Refused(EtcdErrors.RootUserNotExist, _store.Enable);
        _store.AddUser("root", "hash", noPassword: false);
        Refused(EtcdErrors.RootRoleNotExist, _store.Enable);
        // The root role may be granted without being added as a role.
        _store.GrantRole("root", "root");
        _store.Enable();
        Assert.True(_store.Enabled);
    }

    [Fact]
    public void Every_change_bumps_the_revision_but_enabling_does_not()
    {
        Assert.Equal(1UL, _store.Revision);
        _store.AddRole("r");
        _store.AddUser("root", "hash", noPassword: false);
        _store.GrantRole("root", "root");
        Assert.Equal(4UL, _store.Revision);
        _store.Enable();
        Assert.Equal(4UL, _store.Revision);
        _store.GrantRole("root", "root");
        Assert.Equal(4UL, _store.Revision);
        _store.Disable();
        Assert.Equal(5UL, _store.Revision);
    }

    [Fact]
    public void Management_errors_come_in_etcds_order()
    {
        Refused(EtcdErrors.UserEmpty, () => _store.AddUser("", "h", false));
        Refused(EtcdErrors.RoleEmpty, () => _store.AddRole(""));
        _store.AddUser("u", "h", false);
        Refused(EtcdErrors.UserAlreadyExist, () => _store.AddUser("u", "h", false));
        _store.AddRole("r");
        Refused(EtcdErrors.RoleAlreadyExist, () => _store.AddRole("r"));
        Refused(EtcdErrors.UserNotFound, () => _store.GrantRole("x", "nosuch"));
        Refused(EtcdErrors.RoleNotFound, () => _store.GrantRole("u", "nosuch"));
        Refused(EtcdErrors.RoleNotGranted, () => _store.RevokeRole("u", "r"));
        Refused(EtcdErrors.PermissionNotGranted, () => _store.RevokePermission("r", ByteString.CopyFromUtf8("k"), ByteString.Empty));
        Refused(EtcdErrors.RoleNotFound, () => _store.RevokePermission("x", ByteString.CopyFromUtf8("k"), ByteString.Empty));
        Refused(EtcdErrors.UserNotFound, () => _store.DeleteUser("x"));
        Refused(EtcdErrors.RoleNotFound, () => _store.DeleteRole("x"));

        EnableWithRoot();
        Refused(EtcdErrors.InvalidAuthMgmt, () => _store.DeleteUser("root"));
        Refused(EtcdErrors.InvalidAuthMgmt, () => _store.DeleteRole("root"));
        Refused(EtcdErrors.InvalidAuthMgmt, () => _store.RevokeRole("root", "root"));
    }

    [Fact]
    public void Permission_checks_refuse_no_user_then_an_old_revision_then_unknown_users()
    {
        EnableWithRoot();
        _store.AddRole("reader");
        _store.GrantPermission("reader", Perm(Permission.Types.Type.Read, "foo", "fop"));
        _store.AddUser("alice", "h", false);
        _store.GrantRole("alice", "reader");
        var now = _store.Revision;

        Refused(EtcdErrors.UserEmpty, () => _store.CheckPermitted(AuthInfo.None, "foo"u8, [], false));
        Refused(EtcdErrors.AuthOldRevision, () => _store.CheckPermitted(new AuthInfo("alice", now - 1), "foo"u8, [], false));
        Refused(EtcdErrors.PermissionDenied, () => _store.CheckPermitted(new AuthInfo("nobody", now), "foo"u8, [], false));
        Refused(EtcdErrors.PermissionDenied, () => _store.CheckPermitted(new AuthInfo("alice", now), "foo"u8, [], true));
        Refused(EtcdErrors.PermissionDenied, () => _store.CheckPermitted(new AuthInfo("alice", now), "bar"u8, [], false));
        _store.CheckPermitted(new AuthInfo("alice", now), "foo1"u8, [], false);
        _store.CheckPermitted(new AuthInfo("root", now), "anything"u8, "\0"u8, true);

        // Revoking takes effect at once, and a caller stamped before it is refused as old.
        _store.RevokeRole("alice", "reader");
        Refused(EtcdErrors.AuthOldRevision, () => _store.CheckPermitted(new AuthInfo("alice", now), "foo1"u8, [], false));
        Refused(EtcdErrors.PermissionDenied, () => _store.CheckPermitted(new AuthInfo("alice", _store.Revision), "foo1"u8, [], false));
    }

    [Fact]
    public void Admin_checks_refuse_no_user_then_unknown_users_then_non_root()
    {
        _store.CheckAdmin(null);
        EnableWithRoot();
        _store.AddUser("bob", "h", false);
        Refused(EtcdErrors.UserEmpty, () => _store.CheckAdmin(null));
        Refused(EtcdErrors.UserNotFound, () => _store.CheckAdmin(new AuthInfo("nobody", _store.Revision)));
        Refused(EtcdErrors.PermissionDenied, () => _store.CheckAdmin(new AuthInfo("bob", _store.Revision)));
        _store.CheckAdmin(new AuthInfo("root", 1));
    }

    [Fact]
    public void Granting_a_permission_again_changes_its_type_and_permissions_stay_sorted_by_key()
    {
        _store.AddRole("r");
        _store.GrantPermission("r", Perm(Permission.Types.Type.Read, "b"));
        _store.GrantPermission("r", Perm(Permission.Types.Type.Read, "a", "c"));
        _store.GrantPermission("r", Perm(Permission.Types.Type.Write, "b"));
        var perms = _store.FindRole("r")!.KeyPermission;
        Assert.Equal(["a", "b"], perms.Select(p => p.Key.ToStringUtf8()));
        Assert.Equal(Permission.Types.Type.Write, perms[1].PermType);
    }

    [Fact]
    public void Deleting_a_role_takes_it_from_every_user()
    {
        _store.AddRole("r");
        _store.AddUser("u", "h", false);
        _store.GrantRole("u", "r");
        _store.DeleteRole("r");
        Assert.Empty(_store.FindUser("u")!.Roles);
    }

    [Fact]
    public void A_user_without_password_cannot_authenticate()
    {
        EnableWithRoot();
        _store.AddUser("cn-user", null, noPassword: true);
        Refused(EtcdErrors.AuthFailed, () => _store.CheckCanAuthenticate("cn-user"));
        Refused(EtcdErrors.NoPasswordUser, () => _store.PasswordOf("cn-user"));
        Refused(EtcdErrors.AuthFailed, () => _store.PasswordOf("nobody"));
        Assert.Equal("hash", _store.PasswordOf("root").Hash);
    }

    [Fact]
    public void The_store_round_trips_through_its_snapshot_format()
    {
        EnableWithRoot();
        _store.AddRole("reader");
        _store.GrantPermission("reader", Perm(Permission.Types.Type.Read, "foo", "fop"));
        _store.AddUser("alice", "h", false);
        _store.GrantRole("alice", "reader");

        var copy = AuthStoreFormat.FromBytes(AuthStoreFormat.ToBytes(_store));

        Assert.True(copy.Enabled);
        Assert.Equal(_store.Revision, copy.Revision);
        Assert.Equal(_store.Users, copy.Users);
        Assert.Equal(_store.Roles, copy.Roles);
        copy.CheckPermitted(new AuthInfo("alice", copy.Revision), "foo1"u8, [], false);
    }

    [Fact]
    public void Txn_checks_every_compare_and_nested_operations()
    {
        EnableWithRoot();
        _store.AddRole("reader");
        _store.GrantPermission("reader", Perm(Permission.Types.Type.Read, "foo", "fop"));
        _store.AddUser("alice", "h", false);
        _store.GrantRole("alice", "reader");
        var alice = new AuthInfo("alice", _store.Revision);
        var readsFoo = new TxnRequest();
        readsFoo.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8("foo1") });
        readsFoo.Success.Add(new RequestOp { RequestRange = new RangeRequest { Key = ByteString.CopyFromUtf8("foo2") } });
        RequestPermissions.CheckTxn(_store, alice, readsFoo);

        var comparesBar = readsFoo.Clone();
        comparesBar.Compare.Add(new Compare { Key = ByteString.CopyFromUtf8("bar") });
        Refused(EtcdErrors.PermissionDenied, () => RequestPermissions.CheckTxn(_store, alice, comparesBar));

        var nestedPut = readsFoo.Clone();
        var inner = new TxnRequest();
        inner.Failure.Add(new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8("foo3") } });
        nestedPut.Success.Add(new RequestOp { RequestTxn = inner });
        Refused(EtcdErrors.PermissionDenied, () => RequestPermissions.CheckTxn(_store, alice, nestedPut));
    }

    [Fact]
    public void A_leased_put_needs_write_permission_on_the_keys_already_on_the_lease()
    {
        EnableWithRoot();
        _store.AddRole("writer");
        _store.GrantPermission("writer", Perm(Permission.Types.Type.Readwrite, "w", "x"));
        _store.AddUser("bob", "h", false);
        _store.GrantRole("bob", "writer");
        var bob = new AuthInfo("bob", _store.Revision);
        IEnumerable<ByteString> Keys(long lease) => lease == 7 ? [ByteString.CopyFromUtf8("secret")] : [];
        RequestPermissions.CheckPut(_store, bob, new PutRequest { Key = ByteString.CopyFromUtf8("w1"), Lease = 8 }, Keys);
        Refused(EtcdErrors.PermissionDenied, () =>
            RequestPermissions.CheckPut(_store, bob, new PutRequest { Key = ByteString.CopyFromUtf8("w1"), Lease = 7 }, Keys));
        Refused(EtcdErrors.PermissionDenied, () => RequestPermissions.CheckLeaseKeys(_store, bob, 7, Keys));
    }
}
