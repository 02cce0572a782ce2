using System.Text;
using ActorStore.Gateway.Http2;
using Xunit;

namespace ActorStore.Gateway.Tests.Http2;

public sealed class HpackHuffmanTests
{
    // Examples of RFC 7541 Appendix C.4 and C.6.
    [Theory]
    [InlineData("f1e3c2e5f23a6ba0ab90f4ff", "www.example.com")]
    [InlineData("a8eb10649cbf", "no-cache")]
    [InlineData("25a849e95ba97d7f", "custom-key")]
    [InlineData("25a849e95bb8e8b4bf", "custom-value")]
    [InlineData("9d29ad171863c78f0b97c8e9ae82ae43d3", "https://www.example.com")]
    [InlineData("d07abe941054d444a8200595040b8166e082a62d1bff", "Mon, 21 Oct 2013 20:13:21 GMT")]
    public void Decodes_the_rfc_examples(string encodedHex, string expected)
    {
        var encoded = Convert.FromHexString(encodedHex);
        var decoded = new byte[HpackHuffman.GetMaxDecodedLength(encoded.Length)];

        Assert.True(HpackHuffman.TryDecode(encoded, decoded, out var written));
        Assert.Equal(expected, Encoding.ASCII.GetString(decoded, 0, written));
    }

    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    public void Encodes_the_rfc_examples(string value, string expectedHex)
    {
        var raw = Encoding.ASCII.GetBytes(value);
        var encoded = new byte[HpackHuffman.GetEncodedLength(raw)];

        Assert.Equal(encoded.Length, HpackHuffman.Encode(raw, encoded));
        Assert.Equal(expectedHex, Convert.ToHexString(encoded).ToLowerInvariant());
    }

    [Fact]
    public void Every_byte_value_round_trips()
    {
        var all = Enumerable.Range(0, 256).Select(value => (byte)value).ToArray();
        var input = all.Concat(all.Reverse()).Concat("http://127.0.0.1:2379"u8.ToArray()).ToArray();
        var encoded = new byte[HpackHuffman.GetEncodedLength(input)];
        HpackHuffman.Encode(input, encoded);
        var decoded = new byte[HpackHuffman.GetMaxDecodedLength(encoded.Length)];

        Assert.True(HpackHuffman.TryDecode(encoded, decoded, out var written));
        Assert.Equal(input, decoded[..written]);
    }

    [Fact]
    public void Accepts_padding_of_up_to_seven_one_bits()
    {
        var decoded = new byte[4];

        // 'a' is 00011; three 1 bits complete the octet.
        Assert.True(HpackHuffman.TryDecode([0x1F], decoded, out var written));
        Assert.Equal("a"u8.ToArray(), decoded[..written]);
    }

    [Theory]
    [InlineData("18", "padding made of 0 bits")]
    [InlineData("1fff", "padding longer than 7 bits")]
    [InlineData("fffffffc", "the end-of-string symbol inside the string")]
    public void Rejects_invalid_codes(string encodedHex, string why)
    {
        var decoded = new byte[16];

        Assert.False(HpackHuffman.TryDecode(Convert.FromHexString(encodedHex), decoded, out _), why);
    }

    [Fact]
    public void Fails_when_the_destination_is_too_small()
    {
        var encoded = Convert.FromHexString("f1e3c2e5f23a6ba0ab90f4ff");

        Assert.False(HpackHuffman.TryDecode(encoded, new byte[14], out _));
        Assert.True(HpackHuffman.TryDecode(encoded, new byte[15], out var written));
        Assert.Equal(15, written);
    }
}
