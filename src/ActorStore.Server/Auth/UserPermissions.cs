using Authpb;

namespace ActorStore.Server.Auth;

/// <summary>
/// The keys a user may read and write: the permissions of all their roles merged, as etcd's range permission cache.
/// A permission without range end is one key; a range end of "\0" means every key from the key on.
/// </summary>
public sealed class UserPermissions(KeyRangeSet read, KeyRangeSet write)
{
    public KeyRangeSet Read { get; } = read;

    public KeyRangeSet Write { get; } = write;

    public static UserPermissions Merge(IEnumerable<Role> roles)
    {
        var read = new List<(byte[], byte[])>();
        var write = new List<(byte[], byte[])>();
        foreach (var permission in roles.SelectMany(role => role.KeyPermission))
        {
            var key = permission.Key.ToByteArray();
            var end = permission.RangeEnd.ToByteArray();
            var interval = end.Length == 0 ? KeyRangeSet.Point(key) : (key, IsFromKey(end) ? [] : end);
            if (permission.PermType is Permission.Types.Type.Read or Permission.Types.Type.Readwrite)
            {
                read.Add(interval);
            }
            if (permission.PermType is Permission.Types.Type.Write or Permission.Types.Type.Readwrite)
            {
                write.Add(interval);
            }
        }
        return new UserPermissions(KeyRangeSet.Of(read), KeyRangeSet.Of(write));
    }

    /// <summary>Whether the keys [key, rangeEnd) (one key when rangeEnd is empty) are all allowed.</summary>
    public bool Allows(bool write, ReadOnlySpan<byte> key, ReadOnlySpan<byte> rangeEnd)
    {
        var set = write ? Write : Read;
        if (rangeEnd.Length == 0)
        {
            return set.ContainsKey(key);
        }
        return set.Covers(key, IsFromKey(rangeEnd) ? [] : rangeEnd);
    }

    private static bool IsFromKey(ReadOnlySpan<byte> rangeEnd) => rangeEnd.Length == 1 && rangeEnd[0] == 0;
}
