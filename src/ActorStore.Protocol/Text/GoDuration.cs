using System.Globalization;
using System.Text;

namespace ActorStore.Protocol.Text;

/// <summary>Go's duration text ("300ms", "1h30m", "2h0m0s"): parsing as time.ParseDuration, printing as Duration.String.</summary>
public static class GoDuration
{
    private const long NanosPerTick = 100;

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        decimal totalNanos = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var wholeDigits = i;
            var fractionDigits = 0;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var fractionStart = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                fractionDigits = i - fractionStart;
            }

            if (wholeDigits == 0 && fractionDigits == 0)
            {
                return false;
            }

            if (!decimal.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && s[i] != '.' && !char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            var nanosPerUnit = s[unitStart..i] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            if (nanosPerUnit < 0)
            {
                return false;
            }

            totalNanos += number * nanosPerUnit;
            if (totalNanos > long.MaxValue)
            {
                return false;
            }

            s = s[i..];
        }

        var ticks = (long)decimal.Truncate(totalNanos / NanosPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        var nanos = (decimal)duration.Ticks * NanosPerTick;
        if (nanos == 0)
        {
            return "0s";
        }

        var sign = nanos < 0 ? "-" : "";
        nanos = Math.Abs(nanos);
        if (nanos < 1_000_000_000m)
        {
            var (unit, size) = nanos < 1_000m ? ("ns", 1m) : nanos < 1_000_000m ? ("µs", 1_000m) : ("ms", 1_000_000m);
            return sign + Trim(nanos / size) + unit;
        }

        var builder = new StringBuilder(sign);
        var hours = decimal.Truncate(nanos / 3_600_000_000_000m);
        nanos -= hours * 3_600_000_000_000m;
        var minutes = decimal.Truncate(nanos / 60_000_000_000m);
        nanos -= minutes * 60_000_000_000m;
        if (hours > 0)
        {
            builder.Append(Trim(hours)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(Trim(minutes)).Append('m');
        }

        return builder.Append(Trim(nanos / 1_000_000_000m)).Append('s').ToString();
    }

    private static string Trim(decimal value)
    {
        var text = value.ToString("0.#########", CultureInfo.InvariantCulture);
        return text;
    }
}
