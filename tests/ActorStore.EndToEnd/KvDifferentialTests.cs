using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd;

/// <summary>
/// etcdctl against ActorStore and against real etcd 3.4.23, command by command: every answer must be the same,
/// errors included. The tests of this class share one pair of servers and run one after another, so each uses its
/// own key prefix and both servers always see the same history.
/// </summary>
[Collection("differential")]
public sealed class KvDifferentialTests : IClassFixture<PairFixture>
{
    private readonly PairFixture _pair;

    public KvDifferentialTests(PairFixture pair)
    {
        _pair = pair;
    }

    private Task<CommandResult> Same(params string[] args) => Differential.SameAsync(_pair, args);

    [Fact]
    public async Task Put_and_get_in_every_output_format()
    {
        await Same("put", "pg/a", "1");
        await Same("put", "pg/b", "2");
        await Same("put", "pg/c", "3");
        await Same("put", "pg/a", "10", "--prev-kv");
        await Same("put", "pg/a", "10", "--prev-kv", "-w", "json");
        await Same("put", "pg/b", "--ignore-value");
        await Same("put", "pg/b", "--ignore-value", "--prev-kv", "-w", "json");
        await Same("put", "pg/missing", "--ignore-value");
        await Same("put", "pg/lease", "v", "--lease=1234");
        await Same("put", "", "empty-key");
        await Same("get", "pg/a");
        await Same("get", "pg/a", "-w", "json");
        await Same("get", "pg/a", "-w", "fields");
        await Same("get", "pg/a", "-w", "table");
        await Same("get", "pg/a", "-w", "simple");
        await Same("get", "pg/nothing", "-w", "json");
        await Same("get", "pg/", "--prefix", "-w", "json");
        await Same("get", "pg/", "--prefix", "--print-value-only");
        await Same("get", "pg/", "--prefix", "--keys-only");
        await Same("get", "pg/", "--prefix", "--count-only", "-w", "json");
        await Same("get", "pg/a", "pg/c");
        await Same("get", "pg/b", "--from-key", "--keys-only");
        await Same("get", "pg/", "--prefix", "--consistency=s");
        await Same("get", "pg/a", "--rev=1");
        var newest = await Same("get", "pg/a", "-w", "json");
        Assert.Contains("\"count\":1", newest.StdOut);
    }

    [Fact]
    public async Task Limits_sorting_and_history()
    {
        foreach (var (key, value) in new[] { ("ls/k3", "z"), ("ls/k1", "y"), ("ls/k2", "x"), ("ls/k1", "w"), ("ls/k4", "v") })
        {
            await Same("put", key, value);
        }
        await Same("get", "ls/", "--prefix", "--limit=2", "-w", "json");
        await Same("get", "ls/", "--prefix", "--limit=10", "-w", "json");
        foreach (var target in new[] { "KEY", "VERSION", "CREATE", "MODIFY", "VALUE" })
        {
            await Same("get", "ls/", "--prefix", "--sort-by=" + target);
            await Same("get", "ls/", "--prefix", "--sort-by=" + target, "--order=DESCEND");
            await Same("get", "ls/", "--prefix", "--sort-by=" + target, "--order=ASCEND", "--limit=3", "-w", "json");
        }
        await Same("get", "ls/", "--prefix", "--order=DESCEND", "--keys-only");
        await Same("get", "ls/", "--prefix", "--order=ASCEND", "--limit=1", "-w", "json");
        var json = await Same("get", "ls/k1", "-w", "json");
        var revision = ModRevision(json.StdOut);
        await Same("get", "ls/k1", "--rev=" + (revision - 1));
        await Same("get", "ls/", "--prefix", "--rev=" + (revision - 1), "-w", "json");
        await Same("get", "ls/k1", "--rev=" + (revision + 1000));
        await Same("get", "ls/", "--prefix", "--sort-by=BOGUS");
    }

    [Fact]
    public async Task Deletes_with_prefix_range_and_prev_kv()
    {
        foreach (var key in new[] { "dl/a", "dl/b", "dl/c", "dl/d", "dl/e" })
        {
            await Same("put", key, "v-" + key);
        }
        await Same("del", "dl/a");
        await Same("del", "dl/a");
        await Same("del", "dl/b", "--prev-kv");
        await Same("del", "dl/c", "dl/e", "-w", "json");
        await Same("del", "dl/", "--prefix", "--prev-kv", "-w", "json");
        await Same("del", "dl/", "--prefix");
        await Same("put", "dl/a", "again");
        await Same("get", "dl/a", "-w", "json");
        await Same("del", "dl/a", "--from-key", "-w", "json");
        await Same("del", "");
    }

    [Fact]
    public async Task Transactions_from_stdin_and_interactive()
    {
        await Same("put", "tx/a", "1");
        await Same("put", "tx/b", "2");
        var swap = "value(\"tx/a\") = \"1\"\n\nput tx/a \"11\"\nget tx/b\n\nput tx/a \"failure\"\n\n";
        await Differential.SameWithInputAsync(_pair, swap, "txn");
        await Differential.SameWithInputAsync(_pair, swap, "txn", "-w", "json");
        var compares = new[]
        {
            "mod(\"tx/a\") > \"1\"", "mod(\"tx/a\") < \"1\"", "create(\"tx/b\") = \"0\"", "create(\"tx/zz\") = \"0\"",
            "ver(\"tx/a\") != \"2\"", "ver(\"tx/a\") = \"2\"", "value(\"tx/b\") > \"1\"", "value(\"tx/b\") < \"1\"",
            "lease(\"tx/a\") = \"0\"",
        };
        foreach (var compare in compares)
        {
            await Differential.SameWithInputAsync(_pair, compare + "\n\nget tx/a\n\nget tx/b\n\n", "txn", "-w", "json");
        }
        await Differential.SameWithInputAsync(_pair, "\nput tx/c 3\ndel tx/b\nget tx/ --prefix\n\n\n", "txn");
        await Differential.SameWithInputAsync(_pair, "value(\"tx/a\") = \"11\"\n\ndel tx/a\n\n\n", "txn", "-i");
        await Differential.SameWithInputAsync(_pair, "\nput tx/d 1\nput tx/d 2\n\n\n", "txn");
        await Differential.SameWithInputAsync(_pair, "\nput tx/e 1\ndel tx/ --prefix\n\n\n", "txn");
        var tooMany = string.Concat(Enumerable.Range(0, 129).Select(i => $"put tx/many{i} v\n"));
        await Differential.SameWithInputAsync(_pair, "\n" + tooMany + "\n\n", "txn");
        await Same("get", "tx/", "--prefix", "-w", "json");
    }

    [Fact]
    public async Task Large_values_and_the_request_size_limit()
    {
        var large = new string('x', 1024 * 1024);
        await Differential.SameWithInputAsync(_pair, large, "put", "big/one");
        await Same("get", "big/one", "--keys-only", "-w", "json");
        var tooLarge = new string('y', 1600 * 1024);
        await Differential.SameWithInputAsync(_pair, tooLarge, "put", "big/two");
        var wayTooLarge = new string('z', 2200 * 1024);
        await Differential.SameWithInputAsync(_pair, wayTooLarge, "put", "big/three");
        await Same("get", "big/", "--prefix", "--count-only", "-w", "json");
    }

    private static long ModRevision(string json)
    {
        var marker = "\"mod_revision\":";
        var start = json.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var end = start;
        while (char.IsDigit(json[end]))
        {
            end++;
        }
        return long.Parse(json[start..end]);
    }
}
