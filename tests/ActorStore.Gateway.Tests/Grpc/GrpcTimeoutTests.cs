using ActorStore.Gateway.Grpc;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("2H", 2 * 3600_000_000_0L)]
    [InlineData("3M", 3 * 60_000_000_0L)]
    [InlineData("5S", 5 * 1_000_000_0L)]
    [InlineData("250m", 250 * 1_000_0L)]
    [InlineData("7u", 70L)]
    [InlineData("150n", 2L)]
    [InlineData("99999999H", 99_999_999 * 3600_000_000_0L)]
    public void Parses_every_unit(string header, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout, out var error));
        Assert.Null(error);
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("1", "too short")]
    [InlineData("123456789S", "too long")]
    [InlineData("5x", "unit is not recognized")]
    [InlineData("5-S", "not a number")]
    public void Rejects_malformed_values(string header, string reason)
    {
        Assert.False(GrpcTimeout.TryParse(header, out _, out var error));
        Assert.Contains(reason, error);
    }
}
