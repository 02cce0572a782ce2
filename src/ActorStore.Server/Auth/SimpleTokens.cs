using Akka.Actor;

namespace ActorStore.Server.Auth;

/// <summary>
/// etcd's simple tokens: the proposer's random prefix, a dot, the entry's log index; held by <see cref="AuthSessions"/>.
/// A simple token is stamped with the member's current auth revision when used, as in etcd.
/// </summary>
public sealed class SimpleTokens(IActorRef sessions, TimeSpan askTimeout) : ITokenProvider
{
    public string Assign(string username, ulong authRevision, string prefix, ulong index)
    {
        var token = $"{prefix}.{index}";
        sessions.Tell(new OpenSession(token, username));
        return token;
    }

    public void RevokeUser(string username) => sessions.Tell(new RevokeUserSessions(username));

    public void RevokeAll() => sessions.Tell(RevokeAllSessions.Instance);

    public async Task<AuthInfo?> InfoAsync(string token, ulong currentRevision, CancellationToken ct)
    {
        var owner = await sessions.Ask<TokenOwner>(new LookupToken(token), askTimeout, ct).ConfigureAwait(false);
        return owner.Username is { } name ? new AuthInfo(name, currentRevision) : null;
    }
}
