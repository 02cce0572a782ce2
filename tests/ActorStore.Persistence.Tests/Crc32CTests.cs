using System.Text;
using Xunit;

namespace ActorStore.Persistence.Tests;

public sealed class Crc32CTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xC1D04330u)]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x22620404u)]
    public void Known_vectors(string input, uint expected)
    {
        var data = Encoding.ASCII.GetBytes(input);

        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.AppendWithTable(0, data));
    }

    [Fact]
    public void Thirty_two_zero_bytes_match_the_iSCSI_test_vector()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_and_append_equals_one_pass()
    {
        var random = new Random(7);
        for (var length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var split = length / 3;

            var whole = Crc32C.Compute(data);

            Assert.Equal(Crc32C.AppendWithTable(0, data), whole);
            Assert.Equal(whole, Crc32C.Append(Crc32C.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void A_single_flipped_bit_changes_the_checksum()
    {
        var data = Encoding.ASCII.GetBytes("raft entry payload");
        var original = Crc32C.Compute(data);
        data[5] ^= 0x10;

        Assert.NotEqual(original, Crc32C.Compute(data));
    }
}
