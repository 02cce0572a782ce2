using System.Security.Cryptography;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Auth;

/// <summary>An ActorStore and an etcd member that sign JWT auth tokens with the same key pair, made here.</summary>
public abstract class JwtPairFixture : PairFixture
{
    private readonly TempDir _keys = new();
    private string[]? _flags;

    protected abstract string SignMethod { get; }

    /// <summary>The private and public key, as PEM.</summary>
    protected abstract (string PrivatePem, string PublicPem) MakeKeys();

    /// <summary>Both members get the same key files: made once, on the first call.</summary>
    protected override string[] ExtraArgs() => _flags ??= WriteKeys();

    private string[] WriteKeys()
    {
        var (privatePem, publicPem) = MakeKeys();
        var privateFile = Path.Combine(_keys.Path, "jwt.key");
        var publicFile = Path.Combine(_keys.Path, "jwt.pub");
        File.WriteAllText(privateFile, privatePem);
        File.WriteAllText(publicFile, publicPem);
        return ["--auth-token", $"jwt,pub-key={publicFile},priv-key={privateFile},sign-method={SignMethod},ttl=10m"];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _keys.Dispose();
    }
}

public sealed class Rs256PairFixture : JwtPairFixture
{
    protected override string SignMethod => "RS256";

    protected override (string PrivatePem, string PublicPem) MakeKeys()
    {
        using var rsa = RSA.Create(2048);
        return (rsa.ExportRSAPrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
    }
}

public sealed class Es256PairFixture : JwtPairFixture
{
    protected override string SignMethod => "ES256";

    protected override (string PrivatePem, string PublicPem) MakeKeys()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (ecdsa.ExportECPrivateKeyPem(), ecdsa.ExportSubjectPublicKeyInfoPem());
    }
}
