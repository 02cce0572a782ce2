using ActorStore.Protocol.Errors;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests;

/// <summary>A member in-process on a temp data dir: writes, reads, and recovery after a restart.</summary>
public sealed class EtcdMemberTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-member-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Writes_are_answered_with_etcds_revisions_and_headers()
    {
        await using var member = await StartAsync();
        var first = await member.PutAsync(Put("a", "1"));
        var second = await member.PutAsync(new PutRequest { Key = Bytes("a"), Value = Bytes("2"), PrevKv = true });
        Assert.Equal(2, first.Header.Revision);
        Assert.Equal(3, second.Header.Revision);
        Assert.Equal("1", second.PrevKv.Value.ToStringUtf8());
        Assert.Equal(member.Identity.MemberId, second.Header.MemberId);
        Assert.Equal(member.Identity.ClusterId, second.Header.ClusterId);

        var range = await member.RangeAsync(new RangeRequest { Key = Bytes("a") });
        Assert.Equal(3, range.Header.Revision);
        Assert.Equal(2, range.Kvs[0].Version);
    }

    [Fact]
    public async Task Concurrent_writes_each_get_their_own_revision()
    {
        await using var member = await StartAsync();
        var puts = Enumerable.Range(0, 500).Select(i => member.PutAsync(Put("k" + i, "v"))).ToArray();
        var revisions = (await Task.WhenAll(puts)).Select(r => r.Header.Revision).ToArray();
        Assert.Equal(Enumerable.Range(2, 500).Select(i => (long)i), revisions.OrderBy(r => r));
    }

    [Fact]
    public async Task A_restart_replays_the_journal_to_the_same_state()
    {
        await using (var member = await StartAsync())
        {
            for (var i = 0; i < 20; i++)
            {
                await member.PutAsync(Put("key" + (i % 3), "v" + i));
            }
            await member.DeleteRangeAsync(new DeleteRangeRequest { Key = Bytes("key0") });
            await member.CompactAsync(new CompactionRequest { Revision = 10 });
        }
        await using (var member = await StartAsync())
        {
            var range = await member.RangeAsync(new RangeRequest { Key = Bytes("key"), RangeEnd = Bytes("kez") });
            Assert.Equal(22, range.Header.Revision);
            Assert.Equal(["key1", "key2"], range.Kvs.Select(kv => kv.Key.ToStringUtf8()));
            var compacted = await Assert.ThrowsAsync<RpcException>(
                () => member.RangeAsync(new RangeRequest { Key = Bytes("key1"), Revision = 9 }));
            Assert.Equal(EtcdErrors.Compacted.Message, compacted.Message);
            var next = await member.PutAsync(Put("after", "restart"));
            Assert.Equal(23, next.Header.Revision);
        }
    }

    [Fact]
    public async Task A_restart_from_a_snapshot_plus_the_journal_tail_loses_nothing()
    {
        await using (var member = await StartAsync(snapshotCount: 5, catchUp: 2))
        {
            for (var i = 0; i < 23; i++)
            {
                await member.PutAsync(Put("s" + i, "v" + i));
            }
        }
        await using (var member = await StartAsync(snapshotCount: 5, catchUp: 2))
        {
            var range = await member.RangeAsync(new RangeRequest { Key = Bytes("s"), RangeEnd = Bytes("t"), CountOnly = true });
            Assert.Equal(23, range.Count);
            Assert.Equal(24, range.Header.Revision);
            var status = await member.StatusAsync();
            // Besides the 23 puts the log holds each term's empty leader entry and the member's attribute publish.
            Assert.True(status.RaftAppliedIndex > 23, $"applied index {status.RaftAppliedIndex}");
        }
    }

    [Fact]
    public async Task A_request_larger_than_max_request_bytes_is_refused_and_not_applied()
    {
        await using var member = await StartAsync(maxRequestBytes: 1024);
        var error = await Assert.ThrowsAsync<RpcException>(
            () => member.PutAsync(Put("big", new string('x', 2048))));
        Assert.Equal(StatusCode.InvalidArgument, error.Status);
        Assert.Equal("etcdserver: request is too large", error.Message);
        var range = await member.RangeAsync(new RangeRequest { Key = Bytes("big") });
        Assert.Empty(range.Kvs);
        Assert.Equal(1, range.Header.Revision);
    }

    [Fact]
    public async Task Failed_requests_take_no_revision_and_answer_etcds_errors()
    {
        await using var member = await StartAsync();
        var leaseMissing = await Assert.ThrowsAsync<RpcException>(
            () => member.PutAsync(new PutRequest { Key = Bytes("l"), Value = Bytes("v"), Lease = 99 }));
        Assert.Equal("etcdserver: requested lease not found", leaseMissing.Message);
        var emptyKey = await Assert.ThrowsAsync<RpcException>(() => member.PutAsync(Put("", "v")));
        Assert.Equal("etcdserver: key is not provided", emptyKey.Message);
        var put = await member.PutAsync(Put("ok", "v"));
        Assert.Equal(2, put.Header.Revision);
    }

    [Fact]
    public async Task Member_list_and_status_describe_the_single_member()
    {
        await using var member = await StartAsync();
        await WaitForLeaderAsync(member);
        var list = await member.MemberListAsync();
        var only = Assert.Single(list.Members);
        Assert.Equal("n1", only.Name);
        Assert.Equal(["http://127.0.0.1:2380"], only.PeerURLs);
        var status = await member.StatusAsync();
        Assert.Equal(member.Identity.MemberId, status.Leader);
        Assert.Equal("3.4.23", status.Version);
        Assert.True(await member.IsHealthyAsync());
    }

    [Fact]
    public async Task A_write_whose_client_deadline_passed_is_answered_with_etcds_timeout_and_never_applied()
    {
        await using var member = await StartAsync();
        var before = await member.RangeAsync(new RangeRequest { Key = Bytes("late") });

        var error = await Assert.ThrowsAsync<RpcException>(
            () => member.PutAsync(Put("late", "v"), CancellationToken.None, DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.Equal("etcdserver: request timed out", error.Message);

        await member.PutAsync(Put("after", "v"));
        var range = await member.RangeAsync(new RangeRequest { Key = Bytes("late") });
        Assert.Empty(range.Kvs);
        Assert.Equal(before.Header.Revision + 1, range.Header.Revision);
    }

    [Fact]
    public async Task A_write_canceled_by_its_caller_is_answered_with_etcds_timeout_not_a_cancellation()
    {
        // A gRPC request's token fires at the client's deadline; what the member says then must not invite a resend.
        await using var member = await StartAsync();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => member.PutAsync(Put("k", "v"), canceled.Token));

        Assert.Equal(StatusCode.Unavailable, error.Status);
        Assert.StartsWith("etcdserver: request timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restarts_after_several_compactions_keep_every_write()
    {
        for (var round = 0; round < 3; round++)
        {
            await using var member = await StartAsync(snapshotCount: 4, catchUp: 3);
            for (var i = 0; i < 11; i++)
            {
                await member.PutAsync(Put($"r{round}-{i}", "v"));
            }
            var range = await member.RangeAsync(new RangeRequest { Key = Bytes("r"), RangeEnd = Bytes("s"), CountOnly = true });
            Assert.Equal(11 * (round + 1), range.Count);
            Assert.Equal(11 * (round + 1) + 1, range.Header.Revision);
        }
        var status = await ReadStatusAfterRestartAsync();
        Assert.True(status.DbSize > 0, "dbSize reports what the stored revisions take");
        // Compaction replaced the early events by a snapshot: far fewer than the 33 writes' events remain.
        Assert.InRange(await CountJournalEventsAsync(), 1, 15);
    }

    [Fact]
    public async Task A_failed_journal_write_stops_the_raft_member()
    {
        var options = SingleMemberOptions.For(_dataDir) with
        {
            Hocon = Akka.Configuration.ConfigurationFactory.ParseString(FailingJournal.Hocon),
        };
        await using var member = await EtcdMember.StartAsync(options, NullLoggerFactory.Instance);
        await member.PutAsync(Put("fine", "v"));

        await Assert.ThrowsAsync<RpcException>(() => member.PutAsync(Put(FailingJournal.Marker, "v")));

        await member.RaftStopped.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_data_dir_of_an_earlier_build_is_refused_with_its_reason_and_left_untouched()
    {
        var database = Path.Combine(_dataDir, "member", "actorstore.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        await File.WriteAllBytesAsync(database, [1, 2, 3]);
        var before = Directory.GetFileSystemEntries(_dataDir, "*", SearchOption.AllDirectories).Order().ToArray();

        var error = await Assert.ThrowsAsync<ActorStore.Persistence.DataDirException>(() => StartAsync());

        Assert.Contains("earlier ActorStore build", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(_dataDir, "*", SearchOption.AllDirectories).Order().ToArray());
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(database));
    }

    private async Task<long> CountJournalEventsAsync()
    {
        var path = Path.Combine(_dataDir, "member", "journal.db");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<StatusResponse> ReadStatusAfterRestartAsync()
    {
        await using var member = await StartAsync(snapshotCount: 4, catchUp: 3);
        return await member.StatusAsync();
    }

    private Task<EtcdMember> StartAsync(long snapshotCount = 100_000, long catchUp = 5_000, long maxRequestBytes = 1536 * 1024) =>
        EtcdMember.StartAsync(SingleMemberOptions.For(_dataDir) with
        {
            SnapshotCount = snapshotCount,
            SnapshotCatchUpEntries = catchUp,
            MaxRequestBytes = maxRequestBytes,
        }, NullLoggerFactory.Instance);

    private static async Task WaitForLeaderAsync(EtcdMember member)
    {
        for (var i = 0; i < 100 && member.Raft.Leader == 0; i++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(member.Identity.MemberId, member.Raft.Leader);
    }

    private static PutRequest Put(string key, string value) => new() { Key = Bytes(key), Value = Bytes(value) };

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
