using System.Text;

namespace ActorStore.Protocol.Grpc;

/// <summary>
/// The gRPC spec's encoding of grpc-message: UTF-8 bytes outside printable ASCII, and '%' itself,
/// travel as %XX so that the header stays ASCII.
/// </summary>
public static class GrpcPercentEncoding
{
    public static string Encode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!NeedsEncoding(message))
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsPlain(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>Turns %XX back into bytes and reads them as UTF-8; malformed escapes are kept as they are.</summary>
    public static string Decode(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var bytes = new byte[encoded.Length];
        var count = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && TryHex(encoded[i + 1], out var high) && TryHex(encoded[i + 2], out var low))
            {
                bytes[count++] = (byte)((high << 4) | low);
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[count++] = (byte)c;
            }
            else
            {
                // Not valid on the wire, but keep it rather than lose it.
                var width = char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 2 : 1;
                var text = encoded.AsSpan(i, width);
                var needed = count + Encoding.UTF8.GetByteCount(text);
                if (needed > bytes.Length)
                {
                    Array.Resize(ref bytes, Math.Max(needed, bytes.Length * 2));
                }

                count += Encoding.UTF8.GetBytes(text, bytes.AsSpan(count));
                i += width - 1;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
        {
            if (c is < ' ' or > '~' or '%')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlain(byte b) => b is >= (byte)' ' and <= (byte)'~' and not (byte)'%';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
