using System.Buffers;

namespace ActorStore.Gateway.Http2;

/// <summary>Prefix integers and string literals of HPACK (RFC 7541 sections 5.1 and 5.2).</summary>
internal static class HpackPrimitives
{
    /// <summary>Set on a string literal's first byte when the octets are Huffman-coded.</summary>
    public const byte HuffmanFlag = 0x80;

    /// <summary>
    /// Reads an integer whose first byte keeps <paramref name="prefixBits"/> low bits for it, starting at
    /// <paramref name="position"/> and moving it past the integer. Fails on truncation and on values beyond int range.
    /// </summary>
    public static bool TryReadInteger(ReadOnlySpan<byte> block, ref int position, int prefixBits, out int value)
    {
        value = 0;
        if (position >= block.Length)
        {
            return false;
        }

        var prefixMax = (1 << prefixBits) - 1;
        long result = block[position++] & prefixMax;
        if (result < prefixMax)
        {
            value = (int)result;
            return true;
        }

        for (var shift = 0; position < block.Length && shift <= 28; shift += 7)
        {
            var octet = block[position++];
            result += (long)(octet & 0x7F) << shift;
            if (result > int.MaxValue)
            {
                return false;
            }

            if ((octet & 0x80) == 0)
            {
                value = (int)result;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads a string literal's header at <paramref name="position"/>, leaving <paramref name="position"/> on its first
    /// octet; the caller skips <paramref name="length"/> octets. Fails when the octets run past the block.
    /// </summary>
    public static bool TryReadStringHeader(ReadOnlySpan<byte> block, ref int position, out bool huffman, out int length)
    {
        huffman = position < block.Length && (block[position] & HuffmanFlag) != 0;
        return TryReadInteger(block, ref position, 7, out length) && length <= block.Length - position;
    }

    /// <summary>Writes an integer with a <paramref name="prefixBits"/>-bit prefix; <paramref name="firstByteFlags"/> fills the other bits.</summary>
    public static void WriteInteger(IBufferWriter<byte> output, byte firstByteFlags, int prefixBits, int value)
    {
        var span = output.GetSpan(6);
        var prefixMax = (1 << prefixBits) - 1;
        if (value < prefixMax)
        {
            span[0] = (byte)(firstByteFlags | value);
            output.Advance(1);
            return;
        }

        span[0] = (byte)(firstByteFlags | prefixMax);
        var written = 1;
        var rest = (uint)(value - prefixMax);
        while (rest >= 0x80)
        {
            span[written++] = (byte)((rest & 0x7F) | 0x80);
            rest >>= 7;
        }

        span[written++] = (byte)rest;
        output.Advance(written);
    }

    /// <summary>Writes a string literal without Huffman coding.</summary>
    public static void WritePlainString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteInteger(output, 0, 7, value.Length);
        output.Write(value);
    }
}
