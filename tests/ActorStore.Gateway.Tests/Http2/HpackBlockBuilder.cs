using System.Text;
using ActorStore.Gateway.Http2;

namespace ActorStore.Gateway.Tests.Http2;

/// <summary>Hand-encodes HPACK header blocks (RFC 7541 section 6) for tests.</summary>
public sealed class HpackBlockBuilder
{
    public const byte IncrementalIndexing = 0x40;
    public const byte WithoutIndexing = 0x00;
    public const byte NeverIndexed = 0x10;

    private readonly List<byte> _bytes = [];

    public HpackBlockBuilder Indexed(int index)
    {
        Integer(0x80, 7, index);
        return this;
    }

    public HpackBlockBuilder SizeUpdate(int size)
    {
        Integer(0x20, 5, size);
        return this;
    }

    /// <summary>A literal whose name is a table index; <paramref name="kind"/> is one of the three representation bits.</summary>
    public HpackBlockBuilder Literal(byte kind, int nameIndex, string value, bool huffman = false)
    {
        Integer(kind, kind == IncrementalIndexing ? 6 : 4, nameIndex);
        String(value, huffman);
        return this;
    }

    /// <summary>A literal with the name spelled out.</summary>
    public HpackBlockBuilder Literal(byte kind, string name, string value, bool huffmanName = false, bool huffmanValue = false)
    {
        Integer(kind, kind == IncrementalIndexing ? 6 : 4, 0);
        String(name, huffmanName);
        String(value, huffmanValue);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A gRPC request's header block as grpc-go sends it (literals, no Huffman).</summary>
    public static byte[] GrpcRequest(int port, string path) => new HpackBlockBuilder()
        .Indexed(3) // :method POST
        .Indexed(6) // :scheme http
        .Literal(WithoutIndexing, 4, path)
        .Literal(WithoutIndexing, 1, $"127.0.0.1:{port}")
        .Literal(WithoutIndexing, 31, "application/grpc")
        .Literal(WithoutIndexing, "te", "trailers")
        .ToArray();

    /// <summary>A string literal: H bit, 7-bit prefix length, octets.</summary>
    public static byte[] EncodeString(string value, bool huffman)
    {
        var raw = Encoding.ASCII.GetBytes(value);
        var octets = raw;
        if (huffman)
        {
            octets = new byte[HpackHuffman.GetEncodedLength(raw)];
            HpackHuffman.Encode(raw, octets);
        }

        var builder = new HpackBlockBuilder();
        builder.Integer(huffman ? (byte)0x80 : (byte)0, 7, octets.Length);
        builder._bytes.AddRange(octets);
        return builder.ToArray();
    }

    private void String(string value, bool huffman) => _bytes.AddRange(EncodeString(value, huffman));

    private void Integer(byte flags, int prefixBits, int value)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            _bytes.Add((byte)(flags | value));
            return;
        }

        _bytes.Add((byte)(flags | max));
        value -= max;
        while (value >= 0x80)
        {
            _bytes.Add((byte)((value & 0x7F) | 0x80));
            value >>= 7;
        }

        _bytes.Add((byte)value);
    }
}
