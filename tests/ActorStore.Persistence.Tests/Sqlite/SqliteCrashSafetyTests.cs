using ActorStore.Persistence.Sqlite;
using ActorStore.Persistence.Tests.Conformance;
using Xunit;

namespace ActorStore.Persistence.Tests.Sqlite;

/// <summary>
/// A crash is simulated by copying the files of an instance that is still open (never disposed, so the WAL was
/// not checkpointed) and opening the copy, as a restarted process would find them.
/// </summary>
public sealed class SqliteCrashSafetyTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Acknowledged_writes_survive_a_crash()
    {
        var crashed = await OpenCrashedCopyAsync(tearWal: false);
        await using (crashed.Survivor)
        {
            await AssertAcknowledgedDataAsync(crashed.Survivor);
        }
    }

    [Fact]
    public async Task A_torn_write_at_the_end_of_the_wal_loses_nothing_acknowledged()
    {
        var crashed = await OpenCrashedCopyAsync(tearWal: true);
        await using (crashed.Survivor)
        {
            await AssertAcknowledgedDataAsync(crashed.Survivor);

            // The recovered database takes new writes.
            await crashed.Survivor.Journal.WriteAsync([new AtomicWrite("raft-1", [new JournalEntry("raft-1", 31, new byte[] { 31 })])]);
            Assert.Equal(31, await crashed.Survivor.Journal.ReadHighestSequenceNrAsync("raft-1"));
        }
    }

    private async Task<(SqlitePersistence Survivor, string CopyDir)> OpenCrashedCopyAsync(bool tearWal)
    {
        var original = _temp.Combine("original");
        var copy = _temp.Combine("copy");
        var running = await SqlitePersistence.OpenAsync(original);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await running.Journal.WriteAsync(
                [
                    new AtomicWrite(
                        "raft-1",
                        [.. Enumerable.Range((i * 10) + 1, 10).Select(n => new JournalEntry("raft-1", n, Payload(n)))],
                        new Dictionary<string, byte[]> { ["hard"] = [(byte)i] }),
                ]);
            }

            await running.SnapshotStore.SaveAsync(new SnapshotMetadata("raft-1", 20, DateTimeOffset.UnixEpoch), new byte[] { 20 });
            await running.Journal.DeleteToAsync("raft-1", 5);

            var wal = Path.Combine(original, "member", "actorstore.db-wal");
            Assert.True(new FileInfo(wal).Length > 0, "the running instance has not checkpointed: the data is in its WAL");

            Directory.CreateDirectory(Path.Combine(copy, "member"));
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                var source = Path.Combine(original, "member", "actorstore.db" + suffix);
                if (File.Exists(source))
                {
                    File.Copy(source, Path.Combine(copy, "member", "actorstore.db" + suffix));
                }
            }
        }
        finally
        {
            await running.DisposeAsync();
        }

        if (tearWal)
        {
            // Half a frame of garbage, as a write interrupted by power loss would leave.
            await using var walFile = new FileStream(Path.Combine(copy, "member", "actorstore.db-wal"), FileMode.Append);
            var garbage = new byte[2500];
            new Random(3).NextBytes(garbage);
            await walFile.WriteAsync(garbage);
        }

        return (await SqlitePersistence.OpenAsync(copy), copy);
    }

    private static async Task AssertAcknowledgedDataAsync(SqlitePersistence survivor)
    {
        var entries = new List<JournalEntry>();
        await survivor.Journal.ReplayAsync("raft-1", 1, long.MaxValue, long.MaxValue, entries.Add);
        Assert.Equal(Enumerable.Range(6, 25).Select(n => (long)n), entries.Select(e => e.SequenceNr));
        Assert.All(entries, e => Assert.Equal(Payload(e.SequenceNr), e.Payload.ToArray()));
        Assert.Equal(30, await survivor.Journal.ReadHighestSequenceNrAsync("raft-1"));
        Assert.Equal(new byte[] { 2 }, (await survivor.Journal.ReadStateAsync("raft-1"))["hard"]);
        Assert.Equal(new byte[] { 20 }, (await survivor.SnapshotStore.LoadAsync("raft-1", SnapshotSelectionCriteria.Latest))?.Data);
    }

    private static byte[] Payload(long sequenceNr) => [.. Enumerable.Range(0, 300).Select(i => (byte)(i + sequenceNr))];
}
