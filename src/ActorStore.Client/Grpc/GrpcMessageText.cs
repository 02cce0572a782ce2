using System.Text;

namespace ActorStore.Client.Grpc;

/// <summary>Decodes grpc-message: %XX escapes are UTF-8 bytes; malformed escapes stay as they are.</summary>
internal static class GrpcMessageText
{
    public static string Decode(string encoded)
    {
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(encoded.Length)];
        var count = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && Hex(encoded[i + 1]) is var high and >= 0 && Hex(encoded[i + 2]) is var low and >= 0)
            {
                bytes[count++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                var width = char.IsHighSurrogate(c) && i + 1 < encoded.Length ? 2 : 1;
                count += Encoding.UTF8.GetBytes(encoded.AsSpan(i, width), bytes.AsSpan(count));
                i += width - 1;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }

    private static int Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
