using Akka.Actor;

namespace ActorStore.Server.Auth;

/// <summary>
/// etcd's simple tokens: the proposer's random prefix, a dot, the entry's log index; held by <see cref="AuthSessions"/>.
/// A simple token is stamped with the member's current auth revision when used, as in etcd. Every member applies the
/// Authenticate entry, so a token works on every member; like etcd, a member that has not applied the token's entry
/// yet waits for it (<paramref name="waitApplied"/>, false when the index cannot be waited for) before answering.
/// </summary>
public sealed class SimpleTokens(IActorRef sessions, TimeSpan askTimeout, Func<ulong, CancellationToken, Task<bool>> waitApplied) : ITokenProvider
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
        if (owner.Username is null && IndexOf(token) is { } index && await waitApplied(index, ct).ConfigureAwait(false))
        {
            owner = await sessions.Ask<TokenOwner>(new LookupToken(token), askTimeout, ct).ConfigureAwait(false);
        }
        return owner.Username is { } name ? new AuthInfo(name, currentRevision) : null;
    }

    /// <summary>The log index a simple token names; null when the token is not of the form prefix.index.</summary>
    private static ulong? IndexOf(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 2 && ulong.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : null;
    }
}
