using Akka.Actor;

namespace ActorStore.Server.Auth;

/// <summary>
/// One simple token. It lives while it is used: a use restarts its time to live (etcd's simple token keeper does the
/// same), and once the TTL passes without use the session stops, which ends the token. Its parent stops it early when
/// etcd would invalidate the token.
/// </summary>
public sealed class AuthSession : ReceiveActor
{
    public AuthSession(TimeSpan ttl)
    {
        // Akka restarts the receive timeout after every message, which is exactly "reset on use".
        Context.SetReceiveTimeout(ttl);
        Receive<TokenUsed>(_ => { });
        Receive<ReceiveTimeout>(_ => Context.Stop(Self));
    }
}
