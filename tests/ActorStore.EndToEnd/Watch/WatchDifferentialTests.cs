using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.Watch;

/// <summary>
/// `etcdctl watch` against real etcd and against ActorStore, the same writes on both, the same output expected line
/// for line: single key, prefix, prev_kv, JSON, history replay, a compacted start and the interactive mode.
/// Live watches start at the next revision (--rev), so a watch that connects late still sees every write.
/// </summary>
[Collection(WatchLeaseLockCollection.Name)]
public sealed class WatchDifferentialTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly PairFixture _pair;

    public WatchDifferentialTests(PairFixture pair)
    {
        _pair = pair;
    }

    [Fact]
    public async Task Watch_of_a_key_prints_its_puts_and_deletes_only()
    {
        await WatchSameAsync(["wk/a"], 9, async node =>
        {
            await Ok(node, "put", "wk/a", "1");
            await Ok(node, "put", "wk/b", "not watched");
            await Ok(node, "put", "wk/a", "2");
            await Ok(node, "del", "wk/a");
            await Ok(node, "put", "wk/ab", "not watched either");
        });
    }

    [Fact]
    public async Task Watch_of_a_prefix_with_prev_kv_and_txns()
    {
        await WatchSameAsync(["wp/", "--prefix", "--prev-kv"], 29, async node =>
        {
            await Ok(node, "put", "wp/a", "1");
            await Ok(node, "put", "wp/a", "2");
            await Ok(node, "put", "wq/outside", "x");
            CommandResult.AssertOk(await node.Etcdctl.RunWithInputAsync("\nput wp/b 3\nput wp/c 4\ndel wp/a\n\n\n", "txn"));
            await Ok(node, "del", "wp/", "--prefix");
        });
    }

    [Fact]
    public async Task Watch_of_a_range_in_json()
    {
        await WatchSameAsync(["wr/b", "wr/d", "-w", "json"], 4, async node =>
        {
            await Ok(node, "put", "wr/a", "out");
            await Ok(node, "put", "wr/b", "in");
            await Ok(node, "put", "wr/c", "in", "--prev-kv");
            await Ok(node, "put", "wr/d", "out");
            CommandResult.AssertOk(await node.Etcdctl.RunWithInputAsync("\nput wr/b 2\nput wr/c 3\nput wr/e 4\n\n\n", "txn"));
            await Ok(node, "del", "wr/", "--prefix");
        }, json: true);
    }

    [Fact]
    public async Task Watch_from_history_replays_every_past_event()
    {
        await RevisionAligner.AlignAsync(_pair);
        await StreamingDifferential.SameAsync(_pair, async (node, oracle) =>
        {
            var first = await RevisionAsync(node) + 1;
            await Ok(node, "put", "wh/a", "1");
            await Ok(node, "put", "wh/b", "2");
            await Ok(node, "put", "wh/a", "3");
            await Ok(node, "del", "wh/b");
            CommandResult.AssertOk(await node.Etcdctl.RunWithInputAsync("\nput wh/c 5\nput wh/d 6\n\n\n", "txn"));
            var simple = await CollectAsync(node, oracle, 18, "watch", "wh/", "--prefix", "--rev=" + first);
            var withPrev = await CollectAsync(node, oracle, 16, "watch", "wh/", "--prefix", "--prev-kv", "--rev=" + (first + 2));
            // etcd sends the whole replay as one response: one JSON line.
            var json = await CollectAsync(node, oracle, 1, "watch", "wh/", "--prefix", "-w", "json", "--rev=" + first);
            return new CommandResult(0, simple.StdOut + "---\n" + withPrev.StdOut + "---\n" + json.StdOut, "");
        });
    }

    [Fact]
    public async Task Watch_from_a_compacted_revision_is_canceled_with_exit_code_5()
    {
        await RevisionAligner.AlignAsync(_pair);
        await StreamingDifferential.SameAsync(_pair, async (node, oracle) =>
        {
            await Ok(node, "put", "wc/a", "1");
            await Ok(node, "put", "wc/a", "2");
            var current = await RevisionAsync(node);
            await Ok(node, "compaction", current.ToString());
            await using var simple = EtcdctlProcess.Start(node.Etcdctl, "watch", "wc/a", "--rev=" + (current - 1));
            var simpleResult = await ExitedAsync(simple, oracle);
            await using var json = EtcdctlProcess.Start(node.Etcdctl, "watch", "wc/", "--prefix", "-w", "json", "--rev=1");
            var jsonResult = await ExitedAsync(json, oracle);
            // At the compaction revision itself the watch is fine.
            await using var atCompaction = EtcdctlProcess.Start(node.Etcdctl, "watch", "wc/a", "--rev=" + current);
            await WaitAsync(atCompaction, oracle, lines => lines.Count >= 3);
            return new CommandResult(
                simpleResult.ExitCode * 100 + jsonResult.ExitCode,
                simpleResult.StdOut + "---\n" + jsonResult.StdOut + "---\n" + atCompaction.StdOut,
                simpleResult.StdErr + jsonResult.StdErr);
        });
    }

    [Fact]
    public async Task Interactive_watch_reads_watch_commands_from_stdin()
    {
        await RevisionAligner.AlignAsync(_pair);
        await StreamingDifferential.SameAsync(_pair, async (node, oracle) =>
        {
            var next = await RevisionAsync(node) + 1;
            await using var watch = EtcdctlProcess.Start(node.Etcdctl, "watch", "-i");
            await watch.WriteLineAsync($"watch wi/a --rev={next}");
            await watch.WriteLineAsync($"watch wi/b/ --prefix --prev-kv --rev={next}");
            // One write at a time: the two watches print from separate goroutines.
            await Ok(node, "put", "wi/a", "1");
            await WaitAsync(watch, oracle, lines => lines.Count >= 3);
            await Ok(node, "put", "wi/b/x", "1");
            await WaitAsync(watch, oracle, lines => lines.Count >= 6);
            await Ok(node, "put", "wi/b/x", "2");
            await WaitAsync(watch, oracle, lines => lines.Count >= 11);
            await Ok(node, "del", "wi/a");
            await WaitAsync(watch, oracle, lines => lines.Count >= 14);
            await watch.WriteLineAsync("progress");
            await WaitAsync(watch, oracle, lines => lines.Count(line => line.StartsWith("progress notify:", StringComparison.Ordinal)) >= 2);
            await watch.WriteLineAsync("bogus");
            await watch.WriteLineAsync("watch");
            watch.CloseInput();
            return await watch.TryWaitForExitAsync(Wait) ?? new CommandResult(-1, watch.StdOut, watch.StdErr + "\n(still running)");
        });
    }

    /// <summary>Watches from the next revision, runs the writes, waits for <paramref name="lines"/> lines of output and compares.</summary>
    private async Task WatchSameAsync(string[] watchArgs, int lines, Func<MemberNode, Task> writes, bool json = false)
    {
        await RevisionAligner.AlignAsync(_pair);
        await StreamingDifferential.SameAsync(_pair, async (node, oracle) =>
        {
            var next = await RevisionAsync(node) + 1;
            await using var watch = EtcdctlProcess.Start(node.Etcdctl, ["watch", .. watchArgs, "--rev=" + next]);
            // etcdctl prints nothing when its watch is created. Writes made before that arrive as one catch-up answer,
            // not one answer each, on etcd as on ActorStore: give the watch time to be in place on a loaded machine.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await writes(node);
            await WaitAsync(watch, oracle, output => output.Count >= lines);
            await Task.Delay(100); // anything extra would show up now
            return new CommandResult(0, watch.StdOut, watch.StdErr);
        });
    }

    private static async Task<CommandResult> CollectAsync(MemberNode node, bool oracle, int lines, params string[] args)
    {
        await using var watch = EtcdctlProcess.Start(node.Etcdctl, args);
        await WaitAsync(watch, oracle, output => output.Count >= lines);
        await Task.Delay(100);
        return new CommandResult(0, watch.StdOut, watch.StdErr);
    }

    private static async Task<CommandResult> ExitedAsync(EtcdctlProcess process, bool oracle)
    {
        var result = await process.TryWaitForExitAsync(Wait);
        if (result is null && oracle)
        {
            throw new TimeoutException("etcd's etcdctl did not exit\n" + process.Describe());
        }
        return result ?? new CommandResult(-1, process.StdOut, process.StdErr + "\n(still running)");
    }

    /// <summary>On etcd a wait that times out fails the test (the test is wrong); on ActorStore the comparison shows what is missing.</summary>
    private static async Task WaitAsync(EtcdctlProcess process, bool oracle, Func<IReadOnlyList<string>, bool> condition)
    {
        if (!await process.TryWaitForAsync(condition, Wait) && oracle)
        {
            throw new TimeoutException("etcd's etcdctl did not print what the test expects\n" + process.Describe());
        }
    }

    private static async Task Ok(MemberNode node, params string[] args) => CommandResult.AssertOk(await node.Etcdctl.RunAsync(args));

    private static async Task<long> RevisionAsync(MemberNode node) =>
        KvJson.HeaderRevision(CommandResult.AssertOk(await node.Etcdctl.RunAsync("get", "revision-probe", "-w", "json")).StdOut);
}
