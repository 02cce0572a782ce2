using Akka.Actor;

namespace ActorStore.Server.Auth;

/// <summary>etcd's simple tokens: the proposer's random prefix, a dot, the entry's log index; held by <see cref="AuthSessions"/>.</summary>
public sealed class SimpleTokenIssuer(IActorRef sessions) : ITokenIssuer
{
    public string Assign(string username, ulong authRevision, string prefix, ulong index)
    {
        var token = $"{prefix}.{index}";
        sessions.Tell(new OpenSession(token, username));
        return token;
    }

    public void RevokeUser(string username) => sessions.Tell(new RevokeUserSessions(username));

    public void RevokeAll() => sessions.Tell(RevokeAllSessions.Instance);
}
