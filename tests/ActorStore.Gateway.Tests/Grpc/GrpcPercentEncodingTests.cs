using ActorStore.Protocol.Grpc;
using ActorStore.Gateway.Grpc;
using Xunit;

namespace ActorStore.Gateway.Tests.Grpc;

public sealed class GrpcPercentEncodingTests
{
    [Theory]
    [InlineData("etcdserver: requested lease not found", "etcdserver: requested lease not found")]
    [InlineData("100% done", "100%25 done")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\u65e5\u672c", "%E6%97%A5%E6%9C%AC")]
    [InlineData("", "")]
    public void Encodes_as_the_grpc_spec_says(string message, string expected)
    {
        Assert.Equal(expected, GrpcPercentEncoding.Encode(message));
    }

    [Theory]
    [InlineData("100% done")]
    [InlineData("tab\there \u00fc \U0001F600 ~")]
    [InlineData("%%%")]
    public void Decoding_reverses_encoding(string message)
    {
        Assert.Equal(message, GrpcPercentEncoding.Decode(GrpcPercentEncoding.Encode(message)));
    }

    [Theory]
    [InlineData("%zz and %4", "%zz and %4")]
    [InlineData("%c3%a9", "\u00e9")]
    public void Decoding_keeps_malformed_escapes_and_accepts_lower_case_hex(string encoded, string expected)
    {
        Assert.Equal(expected, GrpcPercentEncoding.Decode(encoded));
    }
}
