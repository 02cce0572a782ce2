using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>Compaction changes what every later read can see, so it gets its own pair of servers.</summary>
[Collection("differential")]
public sealed class CompactionDifferentialTests : IClassFixture<PairFixture>
{
    private readonly PairFixture _pair;

    public CompactionDifferentialTests(PairFixture pair)
    {
        _pair = pair;
    }

    private Task<CommandResult> Same(params string[] args) => Differential.SameAsync(_pair, args);

    [Fact]
    public async Task Compaction_answers_and_errors_match_etcd()
    {
        for (var i = 0; i < 5; i++)
        {
            await Same("put", "cp/a", "v" + i);
            await Same("put", "cp/b" + i, "w" + i);
        }
        await Same("del", "cp/b1");
        await Same("get", "cp/a", "--rev=3", "-w", "json");
        await Same("compaction", "4");
        await Same("compaction", "4");
        await Same("compaction", "3");
        await Same("compaction", "1000");
        await Same("get", "cp/a", "--rev=3");
        await Same("get", "cp/a", "--rev=4", "-w", "json");
        await Same("get", "cp/", "--prefix", "--rev=5", "-w", "json");
        await Same("compaction", "--physical", "8");
        await Same("get", "cp/", "--prefix", "--rev=8", "-w", "json");
        await Same("get", "cp/", "--prefix", "--rev=7");
        await Same("get", "cp/", "--prefix", "-w", "json");
        await Same("put", "cp/a", "after");
        await Same("get", "cp/a", "-w", "json");
    }
}
