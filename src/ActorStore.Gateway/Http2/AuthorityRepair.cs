using System.Buffers;
using System.Text;

namespace ActorStore.Gateway.Http2;

/// <summary>
/// Decides whether an :authority value is a URL that carries a usable authority, the way grpc-go clients dialing a
/// passthrough target such as "http://127.0.0.1:2379" send it. Kestrel reads :authority as a Host header and resets
/// such streams; the authority inside ("127.0.0.1:2379") is what the client meant.
/// </summary>
public static class AuthorityRepair
{
    private static ReadOnlySpan<byte> SchemeSeparator => "://"u8;

    private static readonly SearchValues<byte> SchemeChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."u8);

    private static readonly SearchValues<byte> HostNameChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%"u8);

    private static readonly SearchValues<byte> IPv6Chars = SearchValues.Create(
        "0123456789abcdefABCDEF:."u8);

    /// <summary>
    /// Finds the repaired authority inside <paramref name="value"/>: without a leading "scheme://" and without a path
    /// from the first "/". Returns false when nothing would change, when the result is not a plain host[:port], and for
    /// unix socket targets ("unix:", "unixs:"), which have no network authority to recover.
    /// </summary>
    public static bool TryFindRepairedRange(ReadOnlySpan<byte> value, out Range repaired)
    {
        repaired = default;
        var start = 0;
        var separator = value.IndexOf(SchemeSeparator);
        if (separator >= 0)
        {
            var scheme = value[..separator];
            if (!IsScheme(scheme) || IsUnixScheme(scheme))
            {
                return false;
            }

            start = separator + SchemeSeparator.Length;
        }

        var slash = value[start..].IndexOf((byte)'/');
        var end = slash >= 0 ? start + slash : value.Length;
        if (start == 0 && end == value.Length)
        {
            return false;
        }

        if (!IsHostAndPort(value[start..end]))
        {
            return false;
        }

        repaired = start..end;
        return true;
    }

    /// <summary>host[:port] where host is a registered name, an IPv4 address or a bracketed IPv6 address.</summary>
    public static bool IsHostAndPort(ReadOnlySpan<byte> authority)
    {
        if (authority.IsEmpty)
        {
            return false;
        }

        ReadOnlySpan<byte> rest;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf((byte)']');
            if (close < 2 || authority[1..close].ContainsAnyExcept(IPv6Chars))
            {
                return false;
            }

            rest = authority[(close + 1)..];
        }
        else
        {
            var colon = authority.IndexOf((byte)':');
            var host = colon >= 0 ? authority[..colon] : authority;
            if (host.IsEmpty || host.ContainsAnyExcept(HostNameChars))
            {
                return false;
            }

            rest = authority[host.Length..];
        }

        return rest.IsEmpty || (rest[0] == ':' && IsPort(rest[1..]));
    }

    private static bool IsPort(ReadOnlySpan<byte> port) =>
        port.Length is >= 1 and <= 5 && !port.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    private static bool IsScheme(ReadOnlySpan<byte> scheme) =>
        !scheme.IsEmpty && char.IsAsciiLetter((char)scheme[0]) && !scheme.ContainsAnyExcept(SchemeChars);

    private static bool IsUnixScheme(ReadOnlySpan<byte> scheme) =>
        Ascii.EqualsIgnoreCase(scheme, "unix"u8) || Ascii.EqualsIgnoreCase(scheme, "unixs"u8);
}
