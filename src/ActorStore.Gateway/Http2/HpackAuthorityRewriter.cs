using System.Buffers;

namespace ActorStore.Gateway.Http2;

/// <summary>
/// Repairs :authority values inside an HPACK header block (RFC 7541) without decoding the rest of it.
/// </summary>
/// <remarks>
/// The client's encoder and the server's decoder each keep a dynamic table, and indexed representations later in the
/// connection point into it by position. Only the value of a literal :authority is replaced, by a shorter one, and the
/// representation keeps its type: the same entries are added in the same order on both sides, and the server's copy
/// of a repaired entry is smaller than the client's, so the server never evicts an entry the client still refers to.
/// Every other octet of the block is copied as it is.
/// </remarks>
public static class HpackAuthorityRewriter
{
    /// <summary>Index of ":authority" in the static table.</summary>
    private const int AuthorityStaticIndex = 1;

    private const int MaxStackDecodedLength = 256;

    private const int HuffmanAuthorityNameLength = 8;

    private static ReadOnlySpan<byte> AuthorityName => ":authority"u8;

    /// <summary>
    /// Scans <paramref name="block"/> and, when an :authority value needs repair, writes the whole repaired block to
    /// <paramref name="output"/>. Unless the result is <see cref="HeaderBlockRewriteResult.AuthorityRepaired"/>,
    /// anything written to <paramref name="output"/> must be discarded.
    /// </summary>
    public static HeaderBlockRewriteResult Rewrite(ReadOnlySpan<byte> block, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var position = 0;
        var copiedUpTo = 0;
        var sawAuthority = false;
        var repaired = false;
        while (position < block.Length)
        {
            var first = block[position];
            int nameIndexPrefix;
            if ((first & 0x80) != 0)
            {
                // Indexed header field.
                if (!HpackPrimitives.TryReadInteger(block, ref position, 7, out var index) || index == 0)
                {
                    return HeaderBlockRewriteResult.Malformed;
                }

                continue;
            }

            if ((first & 0xC0) == 0x40)
            {
                // Literal with incremental indexing.
                nameIndexPrefix = 6;
            }
            else if ((first & 0xE0) == 0x20)
            {
                // Dynamic table size update.
                if (!HpackPrimitives.TryReadInteger(block, ref position, 5, out _))
                {
                    return HeaderBlockRewriteResult.Malformed;
                }

                continue;
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001).
                nameIndexPrefix = 4;
            }

            if (!HpackPrimitives.TryReadInteger(block, ref position, nameIndexPrefix, out var nameIndex))
            {
                return HeaderBlockRewriteResult.Malformed;
            }

            var isAuthority = nameIndex == AuthorityStaticIndex;
            if (nameIndex == 0)
            {
                if (!HpackPrimitives.TryReadStringHeader(block, ref position, out var nameHuffman, out var nameLength))
                {
                    return HeaderBlockRewriteResult.Malformed;
                }

                isAuthority = IsAuthorityName(block.Slice(position, nameLength), nameHuffman);
                position += nameLength;
            }

            var valueStart = position;
            if (!HpackPrimitives.TryReadStringHeader(block, ref position, out var valueHuffman, out var valueLength))
            {
                return HeaderBlockRewriteResult.Malformed;
            }

            var value = block.Slice(position, valueLength);
            position += valueLength;
            if (!isAuthority)
            {
                continue;
            }

            sawAuthority = true;
            switch (TryWriteRepairedValue(value, valueHuffman, block[copiedUpTo..valueStart], output))
            {
                case ValueRepair.Written:
                    copiedUpTo = position;
                    repaired = true;
                    break;
                case ValueRepair.Invalid:
                    return HeaderBlockRewriteResult.Malformed;
            }
        }

        if (!repaired)
        {
            return sawAuthority ? HeaderBlockRewriteResult.AuthorityUnchanged : HeaderBlockRewriteResult.NoAuthority;
        }

        output.Write(block[copiedUpTo..]);
        return HeaderBlockRewriteResult.AuthorityRepaired;
    }

    /// <summary>
    /// Decodes the value if needed; when it needs repair, writes <paramref name="pending"/> (the untouched octets
    /// before the value) and the repaired value as a plain string literal.
    /// </summary>
    private static ValueRepair TryWriteRepairedValue(ReadOnlySpan<byte> encoded, bool huffman, ReadOnlySpan<byte> pending, IBufferWriter<byte> output)
    {
        if (!huffman)
        {
            return WriteIfRepairable(encoded, pending, output);
        }

        var maxLength = HpackHuffman.GetMaxDecodedLength(encoded.Length);
        byte[]? rented = null;
        Span<byte> decoded = maxLength <= MaxStackDecodedLength
            ? stackalloc byte[MaxStackDecodedLength]
            : rented = ArrayPool<byte>.Shared.Rent(maxLength);
        try
        {
            return HpackHuffman.TryDecode(encoded, decoded, out var length)
                ? WriteIfRepairable(decoded[..length], pending, output)
                : ValueRepair.Invalid;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ValueRepair WriteIfRepairable(ReadOnlySpan<byte> value, ReadOnlySpan<byte> pending, IBufferWriter<byte> output)
    {
        if (!AuthorityRepair.TryFindRepairedRange(value, out var range))
        {
            return ValueRepair.Kept;
        }

        output.Write(pending);
        HpackPrimitives.WritePlainString(output, value[range]);
        return ValueRepair.Written;
    }

    private static bool IsAuthorityName(ReadOnlySpan<byte> name, bool huffman)
    {
        if (!huffman)
        {
            return name.SequenceEqual(AuthorityName);
        }

        // Huffman-coded, ":authority" takes 8 octets; longer names are something else and need no decoding.
        Span<byte> decoded = stackalloc byte[16];
        return name.Length == HuffmanAuthorityNameLength
            && HpackHuffman.TryDecode(name, decoded, out var length)
            && decoded[..length].SequenceEqual(AuthorityName);
    }

    private enum ValueRepair
    {
        Kept,
        Written,
        Invalid,
    }
}
