namespace ActorStore.Server.Auth;

/// <summary>
/// etcd's token provider: hands out tokens when an Authenticate entry applies, drops them when etcd does (user
/// deleted, password changed, auth disabled), and tells who a token belongs to. Simple tokens are held by session
/// actors on each member; JWTs carry their user and auth revision and are checked by signature and expiry.
/// </summary>
public interface ITokenProvider
{
    /// <summary>The token for <paramref name="username"/>, from the proposer's random prefix and the entry's log index.</summary>
    string Assign(string username, ulong authRevision, string prefix, ulong index);

    void RevokeUser(string username);

    void RevokeAll();

    /// <summary>The caller a token stands for, or null for a token that is unknown, expired or forged.</summary>
    Task<AuthInfo?> InfoAsync(string token, ulong currentRevision, CancellationToken ct);
}
