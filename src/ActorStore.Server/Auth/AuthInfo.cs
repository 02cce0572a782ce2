namespace ActorStore.Server.Auth;

/// <summary>Who makes a request, and the auth revision their token was checked at (etcd's AuthInfo).</summary>
public sealed record AuthInfo(string Username, ulong Revision)
{
    /// <summary>No credentials: etcd checks such a caller as a user with an empty name at revision 0.</summary>
    public static AuthInfo None { get; } = new("", 0);
}
