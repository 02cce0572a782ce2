using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ActorStore.Server.Auth;

/// <summary>
/// etcd's JWT tokens: claims username, revision (the auth revision at Authenticate) and exp, signed with the
/// configured key. A token is good on any member holding the key until it expires; a change of the auth store makes
/// its revision old, so writes refuse it. With only a public key the member checks tokens but cannot issue them.
/// </summary>
public sealed class JwtTokens : ITokenProvider, IDisposable
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials? _signing;
    private readonly TokenValidationParameters _validation;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;
    private readonly IDisposable? _key;

    public JwtTokens(JwtSettings settings, TimeProvider clock)
    {
        _ttl = settings.Ttl;
        _clock = clock;
        var algorithm = settings.SignMethod;
        var (signingKey, checkingKey, owner) = KeysFor(settings);
        _key = owner;
        _signing = signingKey is null ? null : new SigningCredentials(signingKey, algorithm);
        _validation = new TokenValidationParameters
        {
            IssuerSigningKey = checkingKey,
            ValidAlgorithms = [algorithm],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (_, expires, _, _) => expires is { } at && at > _clock.GetUtcNow().UtcDateTime,
        };
    }

    public string Assign(string username, ulong authRevision, string prefix, ulong index)
    {
        if (_signing is null)
        {
            // etcd's ErrVerifyOnly: a member given only the public key cannot sign.
            throw new Protocol.Errors.RpcException(Protocol.Errors.StatusCode.Unknown, "auth: token signing attempted with verify-only key");
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["username"] = username,
                ["revision"] = (long)authRevision,
                ["exp"] = _clock.GetUtcNow().Add(_ttl).ToUnixTimeSeconds(),
            },
            SigningCredentials = _signing,
        });
    }

    public void RevokeUser(string username)
    {
        // A JWT cannot be taken back (etcd's JWT provider ignores invalidation too): the auth revision refuses it.
    }

    public void RevokeAll()
    {
    }

    public async Task<AuthInfo?> InfoAsync(string token, ulong currentRevision, CancellationToken ct)
    {
        var result = await _handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid
            || !result.Claims.TryGetValue("username", out var username) || username is not string name
            || !result.Claims.TryGetValue("revision", out var revision))
        {
            return null;
        }
        return new AuthInfo(name, Convert.ToUInt64(revision, System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _key?.Dispose();

    /// <summary>The key that signs (null: verify only) and the one that checks, from the PEM files etcd's options name.</summary>
    private static (SecurityKey? Signing, SecurityKey Checking, IDisposable? Owner) KeysFor(JwtSettings settings)
    {
        var method = settings.SignMethod;
        if (method.StartsWith("RS", StringComparison.Ordinal) || method.StartsWith("PS", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            var hasPrivate = settings.PrivateKeyPem is { } privatePem && Import(() => rsa.ImportFromPem(privatePem));
            if (!hasPrivate && !(settings.PublicKeyPem is { } publicPem && Import(() => rsa.ImportFromPem(publicPem))))
            {
                throw MissingKey();
            }
            // Checking uses a key of its own, with the public half only: no object is shared between signing and checking.
            var checking = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false));
            return (hasPrivate ? new RsaSecurityKey(rsa) : null, checking, rsa);
        }
        if (method.StartsWith("ES", StringComparison.Ordinal))
        {
            var ecdsa = ECDsa.Create();
            var hasPrivate = settings.PrivateKeyPem is { } privatePem && Import(() => ecdsa.ImportFromPem(privatePem));
            if (!hasPrivate && !(settings.PublicKeyPem is { } publicPem && Import(() => ecdsa.ImportFromPem(publicPem))))
            {
                throw MissingKey();
            }
            var checking = new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false)));
            return (hasPrivate ? new ECDsaSecurityKey(ecdsa) : null, checking, ecdsa);
        }
        if (method.StartsWith("HS", StringComparison.Ordinal))
        {
            // etcd uses the private key file's bytes as the HMAC secret.
            var secret = settings.PrivateKeyPem is { Length: > 0 } text ? Encoding.UTF8.GetBytes(text) : throw MissingKey();
            var key = new SymmetricSecurityKey(secret);
            return (key, key, null);
        }
        throw new InvalidOperationException("auth: invalid auth signature method");
    }

    private static bool Import(Action import)
    {
        import();
        return true;
    }

    private static InvalidOperationException MissingKey() => new("auth: missing key data");
}
