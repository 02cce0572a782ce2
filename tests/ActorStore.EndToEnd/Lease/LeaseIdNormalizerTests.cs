using Xunit;

namespace ActorStore.EndToEnd.Lease;

public sealed class LeaseIdNormalizerTests
{
    [Fact]
    public void Hex_ids_without_leading_zeros_and_decimal_ids_name_the_same_lease()
    {
        // 0xb3a1febdf051be: a member id whose low two bytes start with zero gives 14 hex digits.
        var normalizer = new LeaseIdNormalizer();

        var text = normalizer.Normalize(
            "lease b3a1febdf051be granted with TTL(5s)\n{\"ID\":50562136311615934,\"TTL\":5}\nlock/b3a1febdf051be\nrevision 12\n");

        Assert.Equal("lease lease#1 granted with TTL(5s)\n{\"ID\":lease#1,\"TTL\":5}\nlock/lease#1\nrevision 12\n", text);
    }
}
