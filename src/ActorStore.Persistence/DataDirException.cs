namespace ActorStore.Persistence;

/// <summary>
/// The data directory cannot be used: it holds something that is not ours (left untouched), a newer format,
/// or is in use by another process.
/// </summary>
public sealed class DataDirException : Exception
{
    public DataDirException(string dataDir, string message, Exception? inner = null)
        : base(message, inner)
    {
        DataDir = dataDir;
    }

    public string DataDir { get; }
}
