namespace ActorStore.Gateway.Grpc;

/// <summary>The grpc-timeout header: at most 8 ASCII digits followed by a unit (H, M, S, m, u, n).</summary>
public static class GrpcTimeout
{
    /// <summary>Parses a grpc-timeout value; the error text follows grpc-go's wording.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout, out string? error)
    {
        timeout = default;
        if (value.Length < 2)
        {
            error = $"transport: timeout string is too short: \"{value}\"";
            return false;
        }

        if (value.Length > 9)
        {
            error = $"transport: timeout string is too long: \"{value}\"";
            return false;
        }

        var ticksPerUnit = value[^1] switch
        {
            'H' => TimeSpan.TicksPerHour,
            'M' => TimeSpan.TicksPerMinute,
            'S' => TimeSpan.TicksPerSecond,
            'm' => TimeSpan.TicksPerMillisecond,
            'u' => TimeSpan.TicksPerMicrosecond,
            'n' => 0L,
            _ => -1L,
        };
        if (ticksPerUnit < 0)
        {
            error = $"transport: timeout unit is not recognized: \"{value}\"";
            return false;
        }

        long amount = 0;
        foreach (var c in value[..^1])
        {
            if (c is < '0' or > '9')
            {
                error = $"transport: timeout value is not a number: \"{value}\"";
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        // Eight digits of hours still fit in a TimeSpan; nanoseconds round up to whole ticks.
        timeout = ticksPerUnit == 0
            ? TimeSpan.FromTicks((amount + 99) / 100)
            : TimeSpan.FromTicks(amount * ticksPerUnit);
        error = null;
        return true;
    }
}
