namespace ActorStore.Persistence.Tests.Plugins;

using ActorStore.Persistence.Embedded;
using ActorStore.Persistence.Sqlite;
using ActorStore.Persistence.Tests.Conformance;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Xunit;
using Xunit.Abstractions;

/// <summary>
/// What only the embedded plugins promise: torn and damaged tails repaired at open, data dirs of other formats
/// refused untouched, and writes grouped into few transactions.
/// </summary>
public sealed class SqlitePluginRecoveryTests(ITestOutputHelper output) : PluginTestBase(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_data_dir_gets_private_journal_and_snapshot_databases()
    {
        var storage = (SqliteStorage)await NewStorageAsync();
        var system = StartSystem(storage);
        var writer = system.ActorOf(TestWriter.Props("files"));
        await writer.Ask<TestWriter.Appended>(new TestWriter.Append("a"), Timeout);
        Assert.IsType<SaveSnapshotSuccess>(await writer.Ask<object>(new TestWriter.TakeSnapshot(), Timeout));
        await system.Terminate();

        Assert.Equal(
            ["journal.db", "journal.lock", "snapshots.db", "snapshots.lock"],
            Directory.GetFiles(Path.Combine(storage.DataDir, "member")).Select(Path.GetFileName).Order());
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(storage.JournalPath));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(storage.DataDir));
    }

    [Fact]
    public async Task A_burst_of_write_calls_is_committed_in_few_transactions()
    {
        using var directory = new TempDirectory();
        await using var store = new JournalStore(directory.Path, 256, _ => { });
        await store.Opened;

        var writes = Enumerable.Range(1, 1000)
            .Select(n => store.AppendAsync([Record("burst", n)]))
            .ToArray();
        await Task.WhenAll(writes);

        Output.WriteLine($"1000 write calls in {store.Commits} transactions");
        Assert.InRange(store.Commits, 1, 20);
        var replayed = new List<long>();
        await store.ReplayAsync("burst", 1, long.MaxValue, long.MaxValue, e => replayed.Add(e.SequenceNr));
        Assert.Equal(Enumerable.Range(1, 1000).Select(n => (long)n), replayed);
    }

    [Fact]
    public async Task A_failing_call_in_a_group_fails_alone()
    {
        using var directory = new TempDirectory();
        await using var store = new JournalStore(directory.Path, 256, _ => { });
        await store.AppendAsync([Record("a", 1)]);

        var before = store.AppendAsync([Record("a", 2)]);
        var duplicate = store.AppendAsync([Record("a", 3), Record("a", 1)]);
        var after = store.AppendAsync([Record("a", 3)]);

        await before;
        await Assert.ThrowsAnyAsync<Exception>(() => duplicate);
        await after;
        var replayed = new List<long>();
        await store.ReplayAsync("a", 1, long.MaxValue, long.MaxValue, e => replayed.Add(e.SequenceNr));
        Assert.Equal([1L, 2L, 3L], replayed);
    }

    [Fact]
    public async Task Garbage_after_the_last_wal_frame_loses_nothing_acknowledged()
    {
        var (original, copy) = await CrashedCopyAsync(pid: "torn", events: 30);
        await using (var wal = new FileStream(copy.JournalPath + "-wal", FileMode.Append))
        {
            var garbage = new byte[3000];
            new Random(5).NextBytes(garbage);
            await wal.WriteAsync(garbage);
        }

        var system = StartSystem(copy);
        var recovered = await Recover(system, "torn");

        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"e{n}"), recovered.Values);
        Assert.Equal(31, (await system.ActorOf(TestWriter.Props("torn")).Ask<TestWriter.Appended>(new TestWriter.Append("e31"), Timeout)).SequenceNr);
        await original.Terminate();
    }

    [Fact]
    public async Task A_wal_cut_in_the_middle_of_a_commit_drops_that_commit_whole()
    {
        var original = (SqliteStorage)await NewStorageAsync();
        var running = StartSystem(original);
        var writer = running.ActorOf(TestWriter.Props("cut"));
        for (var n = 1; n <= 10; n++)
        {
            await writer.Ask<TestWriter.Appended>(new TestWriter.Append($"e{n}"), Timeout);
        }

        var walAfterTen = new FileInfo(original.JournalPath + "-wal").Length;

        // The last commit: five events in one transaction, large enough to span several WAL frames.
        var big = Enumerable.Range(11, 5).Select(n => $"e{n}" + new string('x', 3000)).ToArray();
        await writer.Ask<TestWriter.Appended>(new TestWriter.AppendAll(big), Timeout);
        var walAfterAll = new FileInfo(original.JournalPath + "-wal").Length;
        Assert.True(walAfterAll > walAfterTen + 8192, "the last commit spans several frames");

        var copy = (SqliteStorage)await NewStorageAsync();
        SqliteFiles.CopyDatabase(original.JournalPath, copy.JournalPath);
        await running.Terminate();
        await using (var wal = new FileStream(copy.JournalPath + "-wal", FileMode.Open))
        {
            wal.SetLength(walAfterTen + ((walAfterAll - walAfterTen) / 2));
        }

        var recovered = await Recover(StartSystem(copy), "cut");

        Assert.Equal(Enumerable.Range(1, 10).Select(n => $"e{n}"), recovered.Values);
        Assert.Equal(10, recovered.LastSequenceNr);
    }

    [Fact]
    public async Task Events_failing_their_checksum_at_the_tail_are_truncated_at_open_with_a_warning()
    {
        var storage = (SqliteStorage)await NewStorageAsync();
        await WriteAndStopAsync(storage, "tail", 10);
        await SqliteFiles.CorruptEventAsync(storage.JournalPath, "tail", 9);
        await SqliteFiles.CorruptEventAsync(storage.JournalPath, "tail", 10);

        var system = StartSystem(storage);
        var warnings = Kit.CreateTestProbe(system);
        system.EventStream.Subscribe(warnings.Ref, typeof(Warning));
        var writer = system.ActorOf(TestWriter.Props("tail"));
        var recovered = await writer.Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);

        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"e{n}"), recovered.Values);
        var warning = warnings.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("torn tail"), Timeout);
        Assert.Contains("'tail'", warning.Message.ToString());
        Assert.Contains("from sequence number 9", warning.Message.ToString());
        Assert.Equal(9, (await writer.Ask<TestWriter.Appended>(new TestWriter.Append("e9"), Timeout)).SequenceNr);
    }

    [Fact]
    public async Task A_damaged_event_with_intact_events_after_it_fails_the_replay()
    {
        var storage = (SqliteStorage)await NewStorageAsync();
        await WriteAndStopAsync(storage, "middle", 10);
        await SqliteFiles.CorruptEventAsync(storage.JournalPath, "middle", 5);

        var system = StartSystem(storage);
        var probe = Kit.CreateTestProbe(system);
        Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null)
            .Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "middle", probe.Ref));

        for (var n = 1; n <= 4; n++)
        {
            Assert.Equal(n, probe.ExpectMsg<ReplayedMessage>(Timeout).Persistent.SequenceNr);
        }

        var failure = probe.ExpectMsg<ReplayMessagesFailure>(Timeout);
        var corrupted = Assert.IsType<JournalCorruptedException>(failure.Cause);
        Assert.Equal(5, corrupted.SequenceNr);
    }

    [Fact]
    public async Task A_damaged_snapshot_is_skipped_for_an_older_one()
    {
        var storage = (SqliteStorage)await NewStorageAsync();
        var system = StartSystem(storage);
        var store = Akka.Persistence.Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        var probe = Kit.CreateTestProbe(system);
        foreach (var n in (long[])[1, 2])
        {
            store.Tell(new SaveSnapshot(new SnapshotMetadata("snap", n, DateTime.UtcNow), $"state-{n}"), probe.Ref);
            probe.ExpectMsg<SaveSnapshotSuccess>(Timeout);
        }

        await SqliteFiles.ExecuteAsync(
            storage.SnapshotsPath,
            "UPDATE snapshots SET data = CAST('garbage' AS BLOB) WHERE persistence_id = 'snap' AND sequence_nr = 2");
        store.Tell(new LoadSnapshot("snap", SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);

        var loaded = probe.ExpectMsg<LoadSnapshotResult>(Timeout).Snapshot;
        Assert.NotNull(loaded);
        Assert.Equal(1, loaded.Metadata.SequenceNr);
        Assert.Equal("state-1", loaded.Snapshot);
    }

    [Fact]
    public async Task A_data_dir_of_an_earlier_build_is_refused_and_left_untouched()
    {
        using var directory = new TempDirectory();
        await EarlierBuildDataDir.CreateAsync(directory.Path);

        var before = SqliteFiles.Fingerprint(directory.Path);

        var cause = await ReplayFailureAsync(directory.Path);

        var error = Assert.IsType<DataDirException>(cause);
        Assert.Contains("earlier ActorStore build", error.Message);
        Assert.Equal(before, SqliteFiles.Fingerprint(directory.Path));
    }

    [Fact]
    public async Task A_foreign_sqlite_database_in_the_journal_s_place_is_refused_and_left_untouched()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("member"));
        await SqliteFiles.ExecuteAsync(directory.Combine("member", "journal.db"), "CREATE TABLE other (x); INSERT INTO other VALUES (1);");
        var before = SqliteFiles.Fingerprint(directory.Path);

        var cause = await ReplayFailureAsync(directory.Path);

        var error = Assert.IsType<DataDirException>(cause);
        Assert.Contains("not an ActorStore one", error.Message);
        Assert.Equal(before, SqliteFiles.Fingerprint(directory.Path));
    }

    [Fact]
    public async Task A_file_that_is_not_sqlite_in_the_journal_s_place_is_refused_and_left_untouched()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("member"));
        await File.WriteAllTextAsync(directory.Combine("member", "journal.db"), "not a database");
        var before = SqliteFiles.Fingerprint(directory.Path);

        var error = Assert.IsType<DataDirException>(await ReplayFailureAsync(directory.Path));

        Assert.Contains("not a SQLite database", error.Message);
        Assert.Equal(before, SqliteFiles.Fingerprint(directory.Path));
    }

    [Fact]
    public async Task An_etcd_data_dir_is_refused_and_left_untouched()
    {
        using var directory = new TempDirectory();
        Directory.CreateDirectory(directory.Combine("member", "wal"));
        await File.WriteAllTextAsync(directory.Combine("member", "wal", "0000000000000000-0000000000000000.wal"), "etcd");
        var before = SqliteFiles.Fingerprint(directory.Path);

        var error = Assert.IsType<DataDirException>(await ReplayFailureAsync(directory.Path));

        Assert.Contains("etcd", error.Message);
        Assert.Equal(before, SqliteFiles.Fingerprint(directory.Path));
    }

    protected override Task<PluginStorage> CreateStorageAsync() => Task.FromResult<PluginStorage>(new SqliteStorage());

    private static EventRecord Record(string pid, long sequenceNr) =>
        new(pid, sequenceNr, 0, "w", string.Empty, 1, string.Empty, [(byte)sequenceNr]);

    private static Task<TestWriter.Events> Recover(ActorSystem system, string pid) =>
        system.ActorOf(TestWriter.Props(pid)).Ask<TestWriter.Events>(new TestWriter.GetEvents(), Timeout);

    private async Task WriteAndStopAsync(SqliteStorage storage, string pid, int events)
    {
        var system = StartSystem(storage);
        var writer = system.ActorOf(TestWriter.Props(pid));
        for (var n = 1; n <= events; n++)
        {
            await writer.Ask<TestWriter.Appended>(new TestWriter.Append($"e{n}"), Timeout);
        }

        await system.Terminate();
    }

    /// <summary>Writes events with a running system, then copies its files without stopping it (a crash).</summary>
    private async Task<(ActorSystem Running, SqliteStorage Copy)> CrashedCopyAsync(string pid, int events)
    {
        var original = (SqliteStorage)await NewStorageAsync();
        var running = StartSystem(original);
        var writer = running.ActorOf(TestWriter.Props(pid));
        for (var n = 1; n <= events; n++)
        {
            await writer.Ask<TestWriter.Appended>(new TestWriter.Append($"e{n}"), Timeout);
        }

        Assert.True(new FileInfo(original.JournalPath + "-wal").Length > 0, "the running journal has not checkpointed");
        var copy = (SqliteStorage)await NewStorageAsync();
        SqliteFiles.CopyDatabase(original.JournalPath, copy.JournalPath);
        return (running, copy);
    }

    /// <summary>The cause a replay fails with on a data dir the journal must refuse.</summary>
    private async Task<Exception> ReplayFailureAsync(string dataDir)
    {
        var system = StartSystem(new ExistingDataDir(dataDir));
        var probe = Kit.CreateTestProbe(system);
        Akka.Persistence.Persistence.Instance.Apply(system).JournalFor(null)
            .Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "any", probe.Ref));
        var failure = probe.ExpectMsg<ReplayMessagesFailure>(Timeout);
        await system.Terminate();
        return failure.Cause;
    }

    /// <summary>The embedded plugins on a data dir the test prepared (not removed by the storage).</summary>
    private sealed class ExistingDataDir(string dataDir) : PluginStorage
    {
        public override Akka.Configuration.Config Config => EmbeddedPersistence.ConfigFor(dataDir);

        public override (string Plugin, string Location) ProcessArguments => (PersistenceHocon.Sqlite, dataDir);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
