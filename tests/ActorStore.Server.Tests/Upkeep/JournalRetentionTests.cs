using ActorStore.Raft.Shell;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Upkeep;

/// <summary>
/// --max-snapshots and --max-wals in their ActorStore meaning (snapshots and stretches of journal between snapshots
/// kept), and --wal-dir (the journal's database in its own directory).
/// </summary>
public sealed class JournalRetentionTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-retention-").FullName;
    private readonly string _walDir = Directory.CreateTempSubdirectory("actorstore-waldir-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dataDir, recursive: true);
        Directory.Delete(_walDir, recursive: true);
    }

    [Fact]
    public void The_oldest_kept_snapshot_is_the_nth_newest_and_zero_keeps_all()
    {
        Assert.Null(RaftWalRetention.OldestKept([10], 2));
        Assert.Equal(10, RaftWalRetention.OldestKept([10], 1));
        Assert.Equal(20, RaftWalRetention.OldestKept([10, 20, 30], 2));
        Assert.Null(RaftWalRetention.OldestKept([10, 20, 30], 0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(0, 0)]
    public async Task The_journal_keeps_as_many_snapshots_and_stretches_as_asked(int maxSnapshots, int maxWals)
    {
        await using (var member = await StartAsync(new RaftWalRetention(maxSnapshots, maxWals)))
        {
            for (var i = 0; i < 40; i++)
            {
                await member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("k" + i), Value = ByteString.CopyFromUtf8("v") });
            }
        }
        // A snapshot every 5 entries: 8 or so of them over the 40 writes.
        var snapshots = await CountAsync(_dataDir, "snapshots.db", "snapshots");
        var events = await CountAsync(_dataDir, "journal.db", "events");
        if (maxSnapshots == 0)
        {
            Assert.True(snapshots >= 6, $"{snapshots} snapshots kept of all");
            Assert.True(events >= 40, $"{events} events kept of all");
        }
        else
        {
            // Deleting is asynchronous: the last snapshot's deletions may not be done when the member stops.
            Assert.InRange(snapshots, maxSnapshots, maxSnapshots + 1);
            // The events after the newest snapshot, and those of the maxWals - 1 stretches of 5 entries before it.
            Assert.InRange(events, 5 * (maxWals - 1), 5 * maxWals + 10);
        }
        await using var restarted = await StartAsync(new RaftWalRetention(maxSnapshots, maxWals));
        var range = await restarted.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("k"), RangeEnd = ByteString.CopyFromUtf8("l"), CountOnly = true });
        Assert.Equal(40, range.Count);
    }

    [Fact]
    public async Task With_a_wal_dir_the_journal_lives_there_and_the_snapshots_in_the_data_dir()
    {
        await using (var member = await StartAsync(RaftWalRetention.LatestOnly, _walDir))
        {
            await member.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("w"), Value = ByteString.CopyFromUtf8("1") });
        }
        Assert.True(File.Exists(Path.Combine(_walDir, "member", "journal.db")));
        Assert.False(File.Exists(Path.Combine(_dataDir, "member", "journal.db")));
        Assert.True(File.Exists(Path.Combine(_dataDir, "member", "snapshots.db")));
        await using var restarted = await StartAsync(RaftWalRetention.LatestOnly, _walDir);
        Assert.Single((await restarted.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8("w") })).Kvs);
    }

    private Task<EtcdMember> StartAsync(RaftWalRetention retention, string walDir = "") =>
        EtcdMember.StartAsync(SingleMemberOptions.For(_dataDir) with
        {
            SnapshotCount = 5,
            SnapshotCatchUpEntries = 2,
            JournalRetention = retention,
            WalDir = walDir,
        }, NullLoggerFactory.Instance);

    private static async Task<long> CountAsync(string dir, string file, string table)
    {
        var path = Path.Combine(dir, "member", file);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
