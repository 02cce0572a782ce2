using ActorStore.Server.Compaction;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

/// <summary>--auto-compaction-mode and --auto-compaction-retention read as etcd 3.4 reads them.</summary>
public sealed class AutoCompactionFlagTests
{
    [Theory]
    [InlineData("periodic", "1", 3600, null)]
    [InlineData("periodic", "30m", 1800, null)]
    [InlineData("periodic", "1h30m", 5400, null)]
    [InlineData("revision", "1000", 0, 1000L)]
    public void Retention_is_hours_or_revisions_when_bare_and_a_duration_otherwise(string mode, string retention, int seconds, long? revisions)
    {
        var options = MemberProgram.ToMemberOptions(Config("--auto-compaction-mode", mode, "--auto-compaction-retention", retention));

        Assert.Equal(new AutoCompactionSettings(TimeSpan.FromSeconds(seconds), revisions), options.AutoCompaction);
        Assert.Empty(Loaded(Load("--auto-compaction-mode", mode, "--auto-compaction-retention", retention)).FlagsWithoutEffectYet);
    }

    [Fact]
    public void Retention_zero_keeps_all_history()
    {
        Assert.Null(MemberProgram.ToMemberOptions(Config("--auto-compaction-retention", "0")).AutoCompaction);
    }

    [Fact]
    public void A_retention_that_is_neither_a_number_nor_a_duration_is_refused_with_etcds_message()
    {
        var failed = Failed(Load("--auto-compaction-retention", "soon"));

        Assert.Equal("error parsing CompactionRetention: time: invalid duration \"soon\"", failed.Message);
    }
}
