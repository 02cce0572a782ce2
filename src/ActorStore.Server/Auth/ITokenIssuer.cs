namespace ActorStore.Server.Auth;

/// <summary>
/// Hands out tokens when an Authenticate entry applies and drops them when etcd does (user deleted, password
/// changed, auth disabled). Simple tokens are held by session actors on each member; JWTs carry their own claims.
/// </summary>
public interface ITokenIssuer
{
    /// <summary>The token for <paramref name="username"/>, from the proposer's random prefix and the entry's log index.</summary>
    string Assign(string username, ulong authRevision, string prefix, ulong index);

    void RevokeUser(string username);

    void RevokeAll();
}
