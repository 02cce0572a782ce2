using Akka.Actor;

namespace ActorStore.Server.Auth;

/// <summary>
/// The simple tokens of this member, each held by an <see cref="AuthSession"/> child. Every member applies the same
/// Authenticate entries, so a token is known on every member (as in etcd 3.4); its TTL runs on each member apart.
/// </summary>
public sealed class AuthSessions : ReceiveActor
{
    private readonly Dictionary<string, (IActorRef Session, string Username)> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _tokenOf = new();

    public AuthSessions(TimeSpan ttl)
    {
        Receive<OpenSession>(open =>
        {
            if (_byToken.ContainsKey(open.Token))
            {
                return;
            }
            var session = Context.ActorOf(Props.Create(() => new AuthSession(ttl)));
            Context.Watch(session);
            _byToken[open.Token] = (session, open.Username);
            _tokenOf[session] = open.Token;
        });
        Receive<LookupToken>(lookup =>
        {
            if (_byToken.TryGetValue(lookup.Token, out var held))
            {
                held.Session.Tell(TokenUsed.Instance);
                Sender.Tell(new TokenOwner(held.Username));
            }
            else
            {
                Sender.Tell(new TokenOwner(null));
            }
        });
        Receive<RevokeUserSessions>(revoke =>
        {
            foreach (var (token, held) in _byToken.Where(pair => pair.Value.Username == revoke.Username).ToList())
            {
                End(token, held.Session);
            }
        });
        Receive<RevokeAllSessions>(_ =>
        {
            foreach (var (token, held) in _byToken.ToList())
            {
                End(token, held.Session);
            }
        });
        Receive<Terminated>(ended =>
        {
            if (_tokenOf.Remove(ended.ActorRef, out var token))
            {
                _byToken.Remove(token);
            }
        });
    }

    /// <summary>Forgets the token at once, so that no lookup finds it while its session stops.</summary>
    private void End(string token, IActorRef session)
    {
        _byToken.Remove(token);
        _tokenOf.Remove(session);
        Context.Unwatch(session);
        Context.Stop(session);
    }
}
