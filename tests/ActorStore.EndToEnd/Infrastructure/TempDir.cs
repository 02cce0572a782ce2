using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// A scratch directory removed with everything in it on dispose, or when the test host ends (see <see cref="HostExit"/>)
/// before it was disposed.
/// </summary>
public sealed class TempDir : IDisposable
{
    private static readonly ConcurrentDictionary<string, TempDir> Live = new();

    private static readonly IReadOnlyList<PosixSignalRegistration> DeleteAllOnExit = HostExit.Register(() =>
    {
        foreach (var dir in Live.Values)
        {
            dir.DeleteOnExit();
        }
    });

    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("actorstore-e2e-").FullName;
        Live[Path] = this;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        Live.TryRemove(Path, out _);
    }

    /// <summary>A server killed at the same moment may still be writing into it: one more try, then leave it.</summary>
    private void DeleteOnExit()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                Dispose();
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(200);
            }
        }
    }
}
