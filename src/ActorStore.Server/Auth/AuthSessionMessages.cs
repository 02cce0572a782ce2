namespace ActorStore.Server.Auth;

/// <summary>A token was assigned to a user by an applied Authenticate entry: its session starts.</summary>
public sealed record OpenSession(string Token, string Username);

/// <summary>Who holds a token; the answer is <see cref="TokenOwner"/>. A lookup counts as use and restarts the token's TTL.</summary>
public sealed record LookupToken(string Token);

/// <summary>The user a token belongs to, or null for an unknown or expired token.</summary>
public sealed record TokenOwner(string? Username);

/// <summary>Ends every session of a user (deleted, or their password changed).</summary>
public sealed record RevokeUserSessions(string Username);

/// <summary>Ends every session (auth disabled).</summary>
public sealed record RevokeAllSessions
{
    public static RevokeAllSessions Instance { get; } = new();
}

/// <summary>To a session: its token was used.</summary>
public sealed record TokenUsed
{
    public static TokenUsed Instance { get; } = new();
}
