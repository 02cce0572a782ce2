using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Backup;

/// <summary>
/// The scratch files a snapshot is built in (member/scratch/*.db.part) delete themselves when closed; a member killed
/// while streaming one leaves it behind, so the next start removes what is left.
/// </summary>
public static class SnapshotScratch
{
    public const string FilePattern = "*.db.part";

    public static string DirectoryOf(string dataDir) => Path.Combine(dataDir, "member", "scratch");

    public static void RemoveLeftovers(string dataDir, ILogger logger)
    {
        var scratch = DirectoryOf(dataDir);
        if (!Directory.Exists(scratch))
        {
            return;
        }
        foreach (var leftover in Directory.EnumerateFiles(scratch, FilePattern))
        {
            try
            {
                File.Delete(leftover);
                logger.LogInformation("removed a snapshot scratch file left by an earlier run {path}", leftover);
            }
            catch (IOException e)
            {
                logger.LogWarning("failed to remove a snapshot scratch file {path} {error}", leftover, e.Message);
            }
        }
    }
}
