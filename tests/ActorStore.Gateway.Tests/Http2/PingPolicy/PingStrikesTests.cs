using ActorStore.Gateway.Http2.PingPolicy;
using Xunit;

namespace ActorStore.Gateway.Tests.Http2.PingPolicy;

public sealed class PingStrikesTests
{
    private static readonly TimeSpan MinTime = TimeSpan.FromSeconds(5);

    [Fact]
    public void Without_streams_the_fourth_ping_within_two_hours_ends_the_connection()
    {
        var strikes = new PingStrikes(MinTime);

        Assert.False(strikes.OnClientPing(At(0), activeStreams: 0));
        Assert.False(strikes.OnClientPing(At(600), activeStreams: 0));
        Assert.False(strikes.OnClientPing(At(1200), activeStreams: 0));
        Assert.True(strikes.OnClientPing(At(1800), activeStreams: 0));
    }

    [Fact]
    public void Without_streams_pings_two_hours_apart_are_allowed()
    {
        var strikes = new PingStrikes(MinTime);

        for (var ping = 0; ping < 10; ping++)
        {
            Assert.False(strikes.OnClientPing(At(ping * 7200), activeStreams: 0));
        }

        Assert.Equal(0, strikes.Strikes);
    }

    [Fact]
    public void With_streams_pings_at_the_minimum_interval_are_allowed_and_faster_ones_strike()
    {
        var strikes = new PingStrikes(MinTime);
        for (var ping = 0; ping < 10; ping++)
        {
            Assert.False(strikes.OnClientPing(At(ping * 5), activeStreams: 1));
        }

        Assert.Equal(0, strikes.Strikes);
        Assert.False(strikes.OnClientPing(At(49), activeStreams: 1));
        Assert.False(strikes.OnClientPing(At(53), activeStreams: 1));
        Assert.True(strikes.OnClientPing(At(57), activeStreams: 1));
    }

    [Fact]
    public void Server_headers_or_data_forgive_the_strikes_at_the_next_ping()
    {
        var strikes = new PingStrikes(MinTime);
        strikes.OnClientPing(At(0), activeStreams: 1);
        strikes.OnClientPing(At(1), activeStreams: 1);
        strikes.OnClientPing(At(2), activeStreams: 1);
        Assert.Equal(2, strikes.Strikes);

        strikes.OnServerHeadersOrData();

        Assert.False(strikes.OnClientPing(At(3), activeStreams: 1));
        Assert.Equal(0, strikes.Strikes);
        Assert.False(strikes.OnClientPing(At(4), activeStreams: 1));
        Assert.False(strikes.OnClientPing(At(5), activeStreams: 1));
        Assert.True(strikes.OnClientPing(At(6), activeStreams: 1));
    }

    private static TimeSpan At(int seconds) => TimeSpan.FromSeconds(seconds);
}
