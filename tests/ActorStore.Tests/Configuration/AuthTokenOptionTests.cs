using ActorStore.Configuration;
using Xunit;

namespace ActorStore.Tests.Configuration;

/// <summary>etcd's --auth-token values: simple, or jwt with its options; malformed ones refuse to start.</summary>
public sealed class AuthTokenOptionTests
{
    private static string Read(string path) => "PEM of " + path;

    [Fact]
    public void Simple_is_no_jwt()
    {
        Assert.Null(AuthTokenOption.Parse("simple", Read));
    }

    [Fact]
    public void Jwt_takes_its_method_keys_and_ttl()
    {
        var jwt = AuthTokenOption.Parse("jwt,pub-key=/k.pub,priv-key=/k.key,sign-method=ES256,ttl=10m", Read)!;
        Assert.Equal("ES256", jwt.SignMethod);
        Assert.Equal("PEM of /k.key", jwt.PrivateKeyPem);
        Assert.Equal("PEM of /k.pub", jwt.PublicKeyPem);
        Assert.Equal(TimeSpan.FromMinutes(10), jwt.Ttl);
        Assert.Equal(TimeSpan.FromMinutes(5), AuthTokenOption.Parse("jwt,priv-key=/k,sign-method=RS256", Read)!.Ttl);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("jwt,sign-method=XS256,priv-key=/k")]
    [InlineData("jwt,sign-method")]
    [InlineData("jwt,sign-method=RS256,sign-method=RS256")]
    [InlineData("jwt,sign-method=RS256,ttl=soon")]
    public void Malformed_values_are_refused(string value)
    {
        Assert.Throws<FormatException>(() => AuthTokenOption.Parse(value, Read));
    }
}
