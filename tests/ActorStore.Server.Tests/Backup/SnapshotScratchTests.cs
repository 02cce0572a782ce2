using ActorStore.Server.Backup;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace ActorStore.Server.Tests.Backup;

/// <summary>A member killed while streaming a snapshot leaves its scratch file; the next start removes it.</summary>
public sealed class SnapshotScratchTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("actorstore-scratch-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Scratch_files_left_by_a_killed_member_are_removed_at_the_next_start()
    {
        await using (await EtcdMember.StartAsync(SingleMemberOptions.For(_dataDir), NullLoggerFactory.Instance))
        {
        }
        var scratch = SnapshotScratch.DirectoryOf(_dataDir);
        Directory.CreateDirectory(scratch);
        var leftover = Path.Combine(scratch, "snapshot-0123456789abcdef.db.part");
        var unrelated = Path.Combine(scratch, "notes.txt");
        await File.WriteAllBytesAsync(leftover, new byte[4096]);
        await File.WriteAllTextAsync(unrelated, "kept");

        await using (await EtcdMember.StartAsync(SingleMemberOptions.For(_dataDir), NullLoggerFactory.Instance))
        {
            Assert.False(File.Exists(leftover));
            Assert.True(File.Exists(unrelated));
        }
    }
}
