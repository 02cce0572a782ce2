using ActorStore.Protocol.Text;
using System.Globalization;
using System.Numerics;

namespace ActorStore.Configuration;

/// <summary>
/// The value syntax of Go's flag package (which etcd's flags use), so the same command lines are accepted and the
/// same ones rejected: booleans like strconv.ParseBool, integers with base prefixes, Go durations.
/// </summary>
internal static class GoValueSyntax
{
    public const string ParseError = "parse error";
    public const string RangeError = "value out of range";

    public static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>
    /// Parses an integer the way strconv.ParseInt/ParseUint do with base 0. Returns null on success, otherwise
    /// <see cref="ParseError"/> or <see cref="RangeError"/>.
    /// </summary>
    public static string? TryParseInteger(string text, bool signed, long min, long max, out long value)
    {
        value = 0;
        var s = text.AsSpan();
        var negative = false;
        if (signed && s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.Length == 0)
        {
            return ParseError;
        }

        var radix = 10;
        var prefixed = false;
        if (s.Length >= 2 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x': radix = 16; s = s[2..]; prefixed = true; break;
                case 'b': radix = 2; s = s[2..]; prefixed = true; break;
                case 'o': radix = 8; s = s[2..]; prefixed = true; break;
                default: radix = 8; s = s[1..]; prefixed = true; break;
            }
        }

        if (!UnderscoresAllowed(text.AsSpan(signed && text.Length > 0 && text[0] is '+' or '-' ? 1 : 0), prefixed))
        {
            return ParseError;
        }

        BigInteger magnitude = 0;
        var digits = 0;
        foreach (var c in s)
        {
            if (c == '_')
            {
                continue;
            }

            var digit = char.IsAsciiDigit(c) ? c - '0'
                : char.IsAsciiLetterLower(c) ? c - 'a' + 10
                : char.IsAsciiLetterUpper(c) ? c - 'A' + 10
                : 99;
            if (digit >= radix)
            {
                return ParseError;
            }

            magnitude = (magnitude * radix) + digit;
            digits++;
        }

        if (digits == 0)
        {
            return ParseError;
        }

        var result = negative ? -magnitude : magnitude;
        if (result < min || result > max)
        {
            return RangeError;
        }

        value = (long)result;
        return null;
    }

    /// <summary>Go allows '_' only between digits, or between a base prefix and a digit.</summary>
    private static bool UnderscoresAllowed(ReadOnlySpan<char> s, bool prefixed)
    {
        if (!s.Contains('_'))
        {
            return true;
        }

        var i = 0;
        var previous = '^';
        if (prefixed && s.Length >= 2 && s[0] == '0' && char.IsAsciiLetter(s[1]))
        {
            i = 2;
            previous = '0';
        }

        var sawDigit = prefixed;
        for (; i < s.Length; i++)
        {
            if (s[i] == '_')
            {
                if (previous != '0')
                {
                    return false;
                }

                previous = '_';
                continue;
            }

            previous = '0';
            sawDigit = true;
        }

        return sawDigit && previous != '_';
    }

    public static bool TryParseDuration(string text, out TimeSpan duration) => GoDuration.TryParse(text, out duration);

    public static string Quote(string text) => GoQuote.Quote(text);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
