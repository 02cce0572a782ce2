using ActorStore.Protocol.Grpc;
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
}
