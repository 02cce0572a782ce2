using ActorStore.Protocol.Errors;
using Authpb;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Auth;

/// <summary>
/// Users, roles and their permissions, the enabled flag and the auth revision, as every member agrees on them: changed
/// only by applied log entries (owned by the apply actor), with etcd 3.4's rules, order of checks and errors. Each
/// change that etcd counts bumps the revision, so a request checked against an older revision is refused at apply.
/// Passwords arrive hashed; nothing here hashes or logs them.
/// </summary>
public sealed class AuthStore
{
    public const string RootUser = "root";
    public const string RootRole = "root";

    private readonly SortedDictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Role> _roles = new(StringComparer.Ordinal);
    private Dictionary<string, UserPermissions> _permissions = new(StringComparer.Ordinal);

    /// <summary>A new store is at revision 1, as etcd's.</summary>
    public AuthStore() : this(false, 1, [], [])
    {
    }

    /// <summary>A store holding <paramref name="users"/> and <paramref name="roles"/> as they are (a snapshot's, say).</summary>
    public AuthStore(bool enabled, ulong revision, IEnumerable<User> users, IEnumerable<Role> roles)
    {
        Enabled = enabled;
        Revision = revision;
        foreach (var user in users)
        {
            _users[user.Name.ToStringUtf8()] = user;
        }
        foreach (var role in roles)
        {
            _roles[role.Name.ToStringUtf8()] = role;
        }
        RefreshPermissions();
    }

    public bool Enabled { get; private set; }

    public ulong Revision { get; private set; }

    public IEnumerable<User> Users => _users.Values;

    public IEnumerable<Role> Roles => _roles.Values;

    public User? FindUser(string name) => _users.GetValueOrDefault(name);

    public Role? FindRole(string name) => _roles.GetValueOrDefault(name);

    public void Enable()
    {
        if (Enabled)
        {
            return;
        }
        var root = FindUser(RootUser) ?? throw EtcdErrors.RootUserNotExist;
        if (!HasRootRole(root))
        {
            throw EtcdErrors.RootRoleNotExist;
        }
        // etcd does not count enabling as a change of the auth store's revision; disabling it does.
        Enabled = true;
    }

    public void Disable()
    {
        if (!Enabled)
        {
            return;
        }
        Enabled = false;
        Revision++;
    }

    /// <summary>Whether <paramref name="name"/> may receive a token (the password was checked before proposing).</summary>
    public void CheckCanAuthenticate(string name)
    {
        if (!Enabled)
        {
            throw EtcdErrors.AuthNotEnabled;
        }
        var user = FindUser(name) ?? throw EtcdErrors.AuthFailed;
        if (user.Options?.NoPassword == true)
        {
            throw EtcdErrors.AuthFailed;
        }
    }

    /// <summary>The stored hash to check a password against, and the revision it was read at (etcd's CheckPassword, before bcrypt).</summary>
    public (string Hash, ulong Revision) PasswordOf(string name)
    {
        if (!Enabled)
        {
            throw EtcdErrors.AuthNotEnabled;
        }
        var user = FindUser(name) ?? throw EtcdErrors.AuthFailed;
        if (user.Options?.NoPassword == true)
        {
            throw EtcdErrors.NoPasswordUser;
        }
        return (user.Password.ToStringUtf8(), Revision);
    }

    public void AddUser(string name, string? passwordHash, bool noPassword)
    {
        if (name.Length == 0)
        {
            throw EtcdErrors.UserEmpty;
        }
        if (_users.ContainsKey(name))
        {
            throw EtcdErrors.UserAlreadyExist;
        }
        _users[name] = new User
        {
            Name = ByteString.CopyFromUtf8(name),
            Password = noPassword || passwordHash is null ? ByteString.Empty : ByteString.CopyFromUtf8(passwordHash),
            Options = new UserAddOptions { NoPassword = noPassword },
        };
        Changed();
    }

    public void DeleteUser(string name)
    {
        if (Enabled && name == RootUser)
        {
            throw EtcdErrors.InvalidAuthMgmt;
        }
        if (!_users.Remove(name))
        {
            throw EtcdErrors.UserNotFound;
        }
        Changed();
    }

    public void ChangePassword(string name, string passwordHash)
    {
        var user = FindUser(name) ?? throw EtcdErrors.UserNotFound;
        var updated = user.Clone();
        updated.Password = ByteString.CopyFromUtf8(passwordHash);
        _users[name] = updated;
        Changed();
    }

    public void GrantRole(string userName, string roleName)
    {
        var user = FindUser(userName) ?? throw EtcdErrors.UserNotFound;
        // The root role need not exist as a role to be granted (etcd's rule).
        if (roleName != RootRole && !_roles.ContainsKey(roleName))
        {
            throw EtcdErrors.RoleNotFound;
        }
        if (user.Roles.Contains(roleName))
        {
            return;
        }
        var updated = user.Clone();
        var roles = updated.Roles.Append(roleName).Order(StringComparer.Ordinal).ToList();
        updated.Roles.Clear();
        updated.Roles.AddRange(roles);
        _users[userName] = updated;
        Changed();
    }

    public void RevokeRole(string userName, string roleName)
    {
        if (Enabled && userName == RootUser && roleName == RootRole)
        {
            throw EtcdErrors.InvalidAuthMgmt;
        }
        var user = FindUser(userName) ?? throw EtcdErrors.UserNotFound;
        if (!user.Roles.Contains(roleName))
        {
            throw EtcdErrors.RoleNotGranted;
        }
        _users[userName] = WithoutRole(user, roleName);
        Changed();
    }

    public void AddRole(string name)
    {
        if (name.Length == 0)
        {
            throw EtcdErrors.RoleEmpty;
        }
        if (_roles.ContainsKey(name))
        {
            throw EtcdErrors.RoleAlreadyExist;
        }
        _roles[name] = new Role { Name = ByteString.CopyFromUtf8(name) };
        Changed();
    }

    public void DeleteRole(string name)
    {
        if (Enabled && name == RootRole)
        {
            throw EtcdErrors.InvalidAuthMgmt;
        }
        if (!_roles.Remove(name))
        {
            throw EtcdErrors.RoleNotFound;
        }
        foreach (var user in _users.Values.Where(user => user.Roles.Contains(name)).ToList())
        {
            _users[user.Name.ToStringUtf8()] = WithoutRole(user, name);
        }
        Changed();
    }

    /// <summary>Adds a permission, or changes the type of the one on the same key and range end.</summary>
    public void GrantPermission(string roleName, Permission permission)
    {
        var role = FindRole(roleName) ?? throw EtcdErrors.RoleNotFound;
        var updated = role.Clone();
        var existing = updated.KeyPermission.FirstOrDefault(p => p.Key == permission.Key && p.RangeEnd == permission.RangeEnd);
        if (existing is not null)
        {
            existing.PermType = permission.PermType;
        }
        else
        {
            var all = updated.KeyPermission
                .Append(new Permission { Key = permission.Key, RangeEnd = permission.RangeEnd, PermType = permission.PermType })
                .OrderBy(p => p.Key.ToByteArray(), ActorStore.Mvcc.ByteArrayOrder.Instance)
                .ToList();
            updated.KeyPermission.Clear();
            updated.KeyPermission.AddRange(all);
        }
        _roles[roleName] = updated;
        Changed();
    }

    public void RevokePermission(string roleName, ByteString key, ByteString rangeEnd)
    {
        var role = FindRole(roleName) ?? throw EtcdErrors.RoleNotFound;
        var kept = role.KeyPermission.Where(p => p.Key != key || p.RangeEnd != rangeEnd).ToList();
        if (kept.Count == role.KeyPermission.Count)
        {
            throw EtcdErrors.PermissionNotGranted;
        }
        var updated = new Role { Name = role.Name };
        updated.KeyPermission.AddRange(kept);
        _roles[roleName] = updated;
        Changed();
    }

    /// <summary>
    /// etcd's check of one operation on [key, rangeEnd): allowed when auth is off; refused without a user, at an older
    /// revision, for an unknown user; root may do anything; others need the merged permissions of their roles.
    /// </summary>
    public void CheckPermitted(AuthInfo caller, ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd, bool write)
    {
        if (!Enabled)
        {
            return;
        }
        if (caller.Revision == 0)
        {
            throw EtcdErrors.UserEmpty;
        }
        if (caller.Revision < Revision)
        {
            throw EtcdErrors.AuthOldRevision;
        }
        var user = FindUser(caller.Username) ?? throw EtcdErrors.PermissionDenied;
        if (HasRootRole(user))
        {
            return;
        }
        if (!_permissions.TryGetValue(caller.Username, out var permissions) || !permissions.Allows(write, key, rangeEnd))
        {
            throw EtcdErrors.PermissionDenied;
        }
    }

    /// <summary>etcd's check for calls that need the root role.</summary>
    public void CheckAdmin(AuthInfo? caller)
    {
        if (!Enabled)
        {
            return;
        }
        if (caller is null || caller.Username.Length == 0)
        {
            throw EtcdErrors.UserEmpty;
        }
        var user = FindUser(caller.Username) ?? throw EtcdErrors.UserNotFound;
        if (!HasRootRole(user))
        {
            throw EtcdErrors.PermissionDenied;
        }
    }

    public bool HasRole(string userName, string roleName) => FindUser(userName)?.Roles.Contains(roleName) == true;

    public static bool HasRootRole(User user) => user.Roles.Contains(RootRole);

    private static User WithoutRole(User user, string roleName)
    {
        var updated = user.Clone();
        var kept = updated.Roles.Where(role => role != roleName).ToList();
        updated.Roles.Clear();
        updated.Roles.AddRange(kept);
        return updated;
    }

    private void Changed()
    {
        Revision++;
        RefreshPermissions();
    }

    private void RefreshPermissions() =>
        _permissions = _users.ToDictionary(
            pair => pair.Key,
            pair => UserPermissions.Merge(pair.Value.Roles.Select(FindRole).OfType<Role>()),
            StringComparer.Ordinal);
}
