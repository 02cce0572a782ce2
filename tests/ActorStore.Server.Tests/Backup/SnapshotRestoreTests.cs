using System.Security.Cryptography;
using ActorStore.Mvcc;
using ActorStore.Server.Backup;
using Google.Protobuf;
using Xunit;

namespace ActorStore.Server.Tests.Backup;

public sealed class SnapshotRestoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("restore-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DataDir => Path.Combine(_dir, "n1.etcd");

    [Fact]
    public void A_snapshot_with_its_hash_is_restored_with_its_history_bumped_and_marked_compacted()
    {
        var snapshot = WriteSnapshot(withHash: true);

        var restored = SnapshotRestore.Run(Request(snapshot) with { BumpRevision = 10, MarkCompacted = true });

        Assert.Equal((15L, 15L), (restored.CurrentRevision, restored.CompactRevision));
        var (store, leases, auth, wasRestored) = RestoreSeed.Load(DataDir, restored.Members.Select(member => member.Id));
        Assert.True(wasRestored);
        Assert.Equal((15L, 15L), (store.CurrentRevision, store.CompactRevision));
        Assert.Equal("b", store.Range("k"u8, [], revision: 15).Kvs.Single().Value.ToStringUtf8());
        Assert.Equal(0, leases.Count);
        Assert.True(auth.Enabled);
        Assert.Equal(["root"], auth.Users.Select(user => user.Name.ToStringUtf8()));
        Assert.Equal("$2a$10$hash", auth.FindUser("root")!.Password.ToStringUtf8());
        Assert.Equal("foo", auth.FindRole("reader")!.KeyPermission.Single().Key.ToStringUtf8());
        Assert.Equal(7UL, auth.Revision);
    }

    [Theory]
    [InlineData(true, true, "data-dir \"{0}\" exists")]
    [InlineData(false, false, "snapshot missing hash but --skip-hash-check=false")]
    public void Refusals_say_what_etcdctl_says(bool withHash, bool dataDirExists, string message)
    {
        var snapshot = WriteSnapshot(withHash);
        if (dataDirExists)
        {
            Directory.CreateDirectory(DataDir);
        }

        var refused = Assert.Throws<SnapshotRestoreException>(() => SnapshotRestore.Run(Request(snapshot)));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, DataDir), refused.Message);
        Assert.Equal(dataDirExists, Directory.Exists(DataDir));
    }

    [Fact]
    public void A_damaged_snapshot_fails_the_hash_check_and_leaves_nothing_behind()
    {
        var snapshot = WriteSnapshot(withHash: true);
        var bytes = File.ReadAllBytes(snapshot);
        bytes[5000] ^= 0xff;
        File.WriteAllBytes(snapshot, bytes);

        var refused = Assert.Throws<SnapshotRestoreException>(() => SnapshotRestore.Run(Request(snapshot)));

        Assert.StartsWith("expected sha256 [", refused.Message);
        Assert.Equal(["snapshot.db"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Without_its_hash_a_snapshot_is_restored_when_the_check_is_skipped_and_a_seed_for_other_members_is_refused()
    {
        var snapshot = WriteSnapshot(withHash: false);

        SnapshotRestore.Run(Request(snapshot) with { SkipHashCheck = true });

        Assert.Throws<InvalidOperationException>(() => RestoreSeed.Load(DataDir, [42UL]));
    }

    [Fact]
    public void Mark_compacted_needs_a_bump()
    {
        var refused = Assert.Throws<SnapshotRestoreException>(() => SnapshotRestore.Run(Request(WriteSnapshot(withHash: true)) with { MarkCompacted = true }));

        Assert.Equal("--mark-compacted can only be used with --bump-revision", refused.Message);
    }

    private SnapshotRestoreRequest Request(string snapshot) => new(snapshot, new MemberOptions
    {
        Name = "n1",
        DataDir = DataDir,
        AdvertiseClientUrls = [],
        InitialAdvertisePeerUrls = ["http://127.0.0.1:2380"],
        InitialCluster = new Dictionary<string, IReadOnlyList<string>> { ["n1"] = ["http://127.0.0.1:2380"] },
    });

    /// <summary>A snapshot of k=a, x=y, k=b, x deleted: revisions 2 to 5.</summary>
    private string WriteSnapshot(bool withHash)
    {
        var store = new MvccStore();
        store.Put("k"u8, "a"u8);
        store.Put("x"u8, "y"u8);
        store.Put("k"u8, "b"u8);
        store.DeleteRange("x"u8, []);
        var root = new Authpb.User { Name = ByteString.CopyFromUtf8("root"), Password = ByteString.CopyFromUtf8("$2a$10$hash") };
        root.Roles.Add("root");
        var reader = new Authpb.Role { Name = ByteString.CopyFromUtf8("reader") };
        reader.KeyPermission.Add(new Authpb.Permission { PermType = Authpb.Permission.Types.Type.Read, Key = ByteString.CopyFromUtf8("foo") });
        var auth = new ActorStore.Server.Auth.AuthStore(enabled: true, revision: 7, [root], [reader, new Authpb.Role { Name = ByteString.CopyFromUtf8("root") }]);
        var image = new EtcdBackendImage(store.CopyRecords(), store.CurrentRevision, store.CompactRevision, 9, [], [], [], [], auth);
        var path = Path.Combine(_dir, "snapshot.db");
        using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite))
        {
            EtcdBackendFormat.Write(image, file);
            if (withHash)
            {
                file.Position = 0;
                var sha = SHA256.HashData(file);
                file.Write(sha);
            }
        }

        return path;
    }
}
