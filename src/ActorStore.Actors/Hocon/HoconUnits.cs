using System.Collections.Frozen;
using System.Globalization;

namespace ActorStore.Actors.Hocon;

/// <summary>HOCON's duration ("100ms", "5 s", "2 hours") and size ("1.5MiB", "64 kB") notations.</summary>
internal static class HoconUnits
{
    private static readonly FrozenDictionary<string, decimal> TicksPerDurationUnit = BuildDurationUnits().ToFrozenDictionary(StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, decimal> BytesPerSizeUnit = BuildSizeUnits().ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!TrySplit(text, out var number, out var unit))
        {
            return false;
        }

        // A bare number is a count of milliseconds.
        if (!TicksPerDurationUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var ticksPerUnit))
        {
            return false;
        }

        try
        {
            var ticks = decimal.Round(number * ticksPerUnit, MidpointRounding.AwayFromZero);
            if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)ticks);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static bool TryParseByteSize(string text, out long bytes)
    {
        bytes = 0;
        if (!TrySplit(text, out var number, out var unit) || !BytesPerSizeUnit.TryGetValue(unit, out var multiplier))
        {
            return false;
        }

        try
        {
            var total = decimal.Truncate(number * multiplier);
            if (total > long.MaxValue || total < long.MinValue)
            {
                return false;
            }

            bytes = (long)total;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TrySplit(string text, out decimal number, out string unit)
    {
        number = 0;
        var trimmed = text.Trim();
        var split = 0;
        while (split < trimmed.Length && (char.IsAsciiDigit(trimmed[split]) || trimmed[split] is '.' or '-' or '+' or 'e' or 'E'))
        {
            // An 'e' that starts a unit ("5 exabytes" has a space; "5EB" does not) ends the number.
            if (trimmed[split] is 'e' or 'E' && (split + 1 >= trimmed.Length || !(char.IsAsciiDigit(trimmed[split + 1]) || trimmed[split + 1] is '-' or '+')))
            {
                break;
            }

            split++;
        }

        unit = trimmed[split..].Trim();
        return split > 0 && decimal.TryParse(trimmed[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal ticks, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = ticks;
            }
        }

        Add(0.01m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(10m, "us", "µs", "μs", "micro", "micros", "microsecond", "microseconds");
        Add(TimeSpan.TicksPerMillisecond, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(TimeSpan.TicksPerSecond, "s", "second", "seconds");
        Add(TimeSpan.TicksPerMinute, "m", "minute", "minutes");
        Add(TimeSpan.TicksPerHour, "h", "hour", "hours");
        Add(TimeSpan.TicksPerDay, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal bytes, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = bytes;
            }
        }

        Add(1m, "", "B", "b", "byte", "bytes");
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E"];
        string[] decimalWords = ["kilo", "mega", "giga", "tera", "peta", "exa"];
        string[] binaryPrefixes = ["K", "M", "G", "T", "P", "E"];
        string[] binaryWords = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi"];
        for (var power = 1; power <= 6; power++)
        {
            var powerOf1000 = Pow(1000m, power);
            var powerOf1024 = Pow(1024m, power);
            Add(powerOf1000, decimalPrefixes[power - 1] + "B", decimalWords[power - 1] + "byte", decimalWords[power - 1] + "bytes");
            var letter = binaryPrefixes[power - 1];
            Add(powerOf1024, letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryWords[power - 1] + "byte", binaryWords[power - 1] + "bytes");
        }

        return units;
    }

    private static decimal Pow(decimal value, int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= value;
        }

        return result;
    }
}
