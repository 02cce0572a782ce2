namespace ActorStore.Server.Auth;

/// <summary>
/// --auth-token jwt,...: the signing method (RS256, PS384, ES256, HS512, ...), the PEM key files' contents and how
/// long a token lives (etcd's ttl option, 5 minutes by default).
/// </summary>
public sealed record JwtSettings(string SignMethod, string? PrivateKeyPem, string? PublicKeyPem, TimeSpan Ttl)
{
    public static TimeSpan DefaultTtl { get; } = TimeSpan.FromMinutes(5);
}
