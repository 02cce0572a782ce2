namespace ActorStore.Server.Certificates;

/// <summary>Creates certificate and key files that must not replace anything already there.</summary>
public static class NewFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Opens a new file for writing; an existing file is an <see cref="IOException"/>. A private key's file is created
    /// readable by its owner only (0600), so the key is never on disk with wider permissions, not even briefly.
    /// </summary>
    public static FileStream Create(string path, bool privateKey)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (privateKey && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        return new FileStream(path, options);
    }
}
