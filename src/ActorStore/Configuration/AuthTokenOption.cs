using ActorStore.Protocol.Text;
using ActorStore.Server.Auth;

namespace ActorStore.Configuration;

/// <summary>
/// etcd's --auth-token: "simple" (the default), or "jwt,sign-method=RS256,pub-key=FILE,priv-key=FILE,ttl=10m".
/// Unknown token kinds, options without a value and repeated options are refused, as etcd refuses them.
/// </summary>
public static class AuthTokenOption
{
    private static readonly HashSet<string> SignMethods = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    };

    /// <summary>JWT settings, or null for simple tokens; key files are read through <paramref name="readFile"/>.</summary>
    public static JwtSettings? Parse(string value, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(readFile);
        var parts = value.Split(',');
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var pair = part.Split('=');
            if (pair.Length != 2 || !options.TryAdd(pair[0], pair[1]))
            {
                throw new FormatException($"--auth-token {value}: auth: invalid auth options");
            }
        }
        switch (parts[0])
        {
            case "simple":
                return null;
            case "jwt":
                var method = options.GetValueOrDefault("sign-method", "");
                if (!SignMethods.Contains(method))
                {
                    throw new FormatException($"--auth-token {value}: auth: invalid auth signature method");
                }
                var ttl = JwtSettings.DefaultTtl;
                if (options.TryGetValue("ttl", out var ttlText) && ttlText.Length > 0 && !GoDuration.TryParse(ttlText, out ttl))
                {
                    throw new FormatException($"--auth-token {value}: invalid ttl {ttlText}");
                }
                return new JwtSettings(
                    method,
                    options.TryGetValue("priv-key", out var privateKey) && privateKey.Length > 0 ? readFile(privateKey) : null,
                    options.TryGetValue("pub-key", out var publicKey) && publicKey.Length > 0 ? readFile(publicKey) : null,
                    ttl);
            default:
                throw new FormatException($"--auth-token {value}: auth: invalid auth options");
        }
    }
}
