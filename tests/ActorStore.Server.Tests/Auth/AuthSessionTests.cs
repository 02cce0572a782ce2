using ActorStore.Server.Auth;
using Akka.Actor;
using Xunit;

namespace ActorStore.Server.Tests.Auth;

/// <summary>Simple token sessions on virtual time: a token expires after its TTL without use, use resets the TTL, invalidation ends it at once.</summary>
public sealed class AuthSessionTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(300);
    private readonly IActorRef _sessions;

    public AuthSessionTests()
        : base(VirtualTimeConfig.Config)
    {
        _sessions = ActorOf(Props.Create(() => new AuthSessions(Ttl)));
    }

    private string? OwnerOf(string token)
    {
        _sessions.Tell(new LookupToken(token), TestActor);
        return ExpectMsg<TokenOwner>().Username;
    }

    /// <summary>Moves virtual time, then lets the sessions actor handle what the timeouts caused.</summary>
    private void Advance(TimeSpan by)
    {
        VirtualTimeConfig.Of(Sys).Advance(by);
        AwaitCondition(() => true);
    }

    [Fact]
    public void A_token_names_its_user_until_its_ttl_passes_without_use()
    {
        _sessions.Tell(new OpenSession("abc.7", "alice"));
        Assert.Equal("alice", OwnerOf("abc.7"));
        Assert.Null(OwnerOf("abc.8"));

        Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal("alice", OwnerOf("abc.7"));

        // The lookup just made restarted the TTL: almost a whole TTL later the token still holds.
        Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.Equal("alice", OwnerOf("abc.7"));

        // The session re-arms its timer after it has answered, on its own thread: a clock moved before that re-arming
        // is not seen by the new timer. Each attempt moves the clock a whole TTL on, without using the token.
        AwaitAssert(() =>
        {
            Advance(Ttl + TimeSpan.FromSeconds(1));
            Assert.Null(OwnerOf("abc.7"));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Invalidating_a_user_ends_their_tokens_and_no_one_elses()
    {
        _sessions.Tell(new OpenSession("a.1", "alice"));
        _sessions.Tell(new OpenSession("a.2", "alice"));
        _sessions.Tell(new OpenSession("b.3", "bob"));

        _sessions.Tell(new RevokeUserSessions("alice"));

        Assert.Null(OwnerOf("a.1"));
        Assert.Null(OwnerOf("a.2"));
        Assert.Equal("bob", OwnerOf("b.3"));
    }

    [Fact]
    public void Disabling_auth_ends_every_token_and_stops_the_session_actors()
    {
        _sessions.Tell(new OpenSession("a.1", "alice"));
        _sessions.Tell(new OpenSession("b.2", "bob"));
        Assert.Equal("bob", OwnerOf("b.2"));
        var session = Sys.ActorSelection(_sessions.Path / "*").ResolveOne(TimeSpan.FromSeconds(3)).Result;
        Watch(session);

        _sessions.Tell(RevokeAllSessions.Instance);

        ExpectTerminated(session);
        Assert.Null(OwnerOf("a.1"));
        Assert.Null(OwnerOf("b.2"));
    }
}
