namespace ActorStore.Server.Auth;

/// <summary>Who makes a request, and the auth revision their token was checked at (etcd's AuthInfo).</summary>
public sealed record AuthInfo(string Username, ulong Revision)
{
    /// <summary>No credentials: etcd checks such a caller as a user with an empty name at revision 0.</summary>
    public static AuthInfo None { get; } = new("", 0);

    /// <summary>
    /// The member itself, for requests it makes on its own (revoking expired leases; the keys of locks and elections,
    /// whose caller was checked before): root, at a revision no auth change makes old. etcd uses a root token for
    /// these. Only the member builds it; a client's caller always comes from a token or certificate.
    /// </summary>
    public static AuthInfo Member { get; } = new(AuthStore.RootUser, ulong.MaxValue);
}
