using System.Text;
using ActorStore.Server.Auth;
using Authpb;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Server.Tests.Auth;

/// <summary>etcd's range permission merging: keys, ranges and prefixes of several roles unite, and a request needs all its keys covered.</summary>
public sealed class KeyRangeSetTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static Permission Perm(Permission.Types.Type type, string key, string rangeEnd = "") =>
        new() { PermType = type, Key = ByteString.CopyFromUtf8(key), RangeEnd = ByteString.CopyFromUtf8(rangeEnd) };

    private static UserPermissions Of(params Permission[] permissions)
    {
        var role = new Role { Name = ByteString.CopyFromUtf8("r") };
        role.KeyPermission.AddRange(permissions);
        return UserPermissions.Merge([role]);
    }

    [Fact]
    public void A_single_key_permission_allows_that_key_only()
    {
        var perms = Of(Perm(Permission.Types.Type.Read, "a"));
        Assert.True(perms.Allows(false, B("a"), []));
        Assert.False(perms.Allows(false, B("a0"), []));
        Assert.False(perms.Allows(false, B("a"), B("b")));
        Assert.False(perms.Allows(true, B("a"), []));
        // [a, a\0) is exactly the key a.
        Assert.True(perms.Allows(false, B("a"), B("a\0")));
    }

    [Fact]
    public void A_prefix_covers_ranges_inside_it_and_not_past_it()
    {
        var perms = Of(Perm(Permission.Types.Type.Readwrite, "foo", "fop"));
        Assert.True(perms.Allows(false, B("foo"), B("fop")));
        Assert.True(perms.Allows(true, B("foo1"), []));
        Assert.True(perms.Allows(false, B("foo1"), B("foo9")));
        Assert.False(perms.Allows(false, B("foo"), B("foq")));
        Assert.False(perms.Allows(false, B("fo"), B("fop")));
        Assert.False(perms.Allows(false, B("foo"), B("\0")));
        Assert.False(perms.Allows(false, B("bar"), []));
    }

    [Fact]
    public void Touching_and_overlapping_ranges_of_several_roles_merge()
    {
        var first = new Role { Name = ByteString.CopyFromUtf8("one") };
        first.KeyPermission.Add(Perm(Permission.Types.Type.Read, "a", "c"));
        var second = new Role { Name = ByteString.CopyFromUtf8("two") };
        second.KeyPermission.Add(Perm(Permission.Types.Type.Read, "c", "e"));
        second.KeyPermission.Add(Perm(Permission.Types.Type.Read, "d", "g"));
        var perms = UserPermissions.Merge([first, second]);
        Assert.True(perms.Allows(false, B("a"), B("g")));
        Assert.True(perms.Allows(false, B("b"), B("f")));
        Assert.False(perms.Allows(false, B("a"), B("h")));
        Assert.Equal(1, perms.Read.Count);
    }

    [Fact]
    public void A_range_end_of_zero_byte_means_every_key_from_the_key_on()
    {
        var perms = Of(Perm(Permission.Types.Type.Write, "m", "\0"));
        Assert.True(perms.Allows(true, B("m"), B("\0")));
        Assert.True(perms.Allows(true, B("zzz"), []));
        Assert.True(perms.Allows(true, B("m"), B("zz")));
        Assert.False(perms.Allows(true, B("l"), B("\0")));
        Assert.False(perms.Allows(false, B("m"), []));
    }

    [Fact]
    public void A_gap_between_ranges_is_not_covered()
    {
        var perms = Of(Perm(Permission.Types.Type.Read, "a", "b"), Perm(Permission.Types.Type.Read, "c", "d"));
        Assert.False(perms.Allows(false, B("a"), B("d")));
        Assert.True(perms.Allows(false, B("c"), B("d")));
        Assert.False(perms.Allows(false, B("b"), []));
    }
}
