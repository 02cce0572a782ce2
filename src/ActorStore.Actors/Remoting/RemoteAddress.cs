using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorStore.Actors.Remoting;

/// <summary>Parsing and formatting of "host:port" (IPv6 literals in brackets: "[::1]:2380").</summary>
internal static class RemoteAddress
{
    public static bool TryParse(string? address, [NotNullWhen(true)] out string? host, out int port)
    {
        host = null;
        port = 0;
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || colon == address.Length - 1)
        {
            return false;
        }
        var hostPart = address[..colon];
        if (hostPart.StartsWith('['))
        {
            if (!hostPart.EndsWith(']') || hostPart.Length < 3)
            {
                return false;
            }
            hostPart = hostPart[1..^1];
        }
        else if (hostPart.Contains(':'))
        {
            // An unbracketed IPv6 literal is ambiguous.
            return false;
        }
        if (!int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }
        host = hostPart;
        return true;
    }

    public static string Format(string host, int port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{ip}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
}
