namespace ActorStore.Server.Tls;

/// <summary>
/// A value read from files (a certificate and its key, a CRL) that is read again once one of them changes on disk, so
/// that certificates renewed or revoked while the member runs take effect at the next handshake without a restart,
/// as in etcd, which reads them for every handshake. Unchanged files (same write time and size) are not parsed again.
/// </summary>
public sealed class FileBackedValue<T> where T : class
{
    private readonly IReadOnlyList<string> _paths;
    private readonly Func<T> _load;
    private readonly Lock _gate = new();
    private (DateTime WrittenUtc, long Length)[]? _stamps;
    private T? _value;

    /// <param name="paths">The files <paramref name="load"/> reads.</param>
    /// <param name="load">Reads the files; throws when they cannot be used (the last good value is not kept, as etcd keeps none).</param>
    public FileBackedValue(IReadOnlyList<string> paths, Func<T> load)
    {
        _paths = paths;
        _load = load;
    }

    /// <summary>The value of the files as they are now.</summary>
    public T Current
    {
        get
        {
            var stamps = _paths.Select(Stamp).ToArray();
            lock (_gate)
            {
                if (_value is null || _stamps is null || !stamps.SequenceEqual(_stamps))
                {
                    // Read before noting the stamps: a failed read is tried again at the next handshake.
                    _value = _load();
                    _stamps = stamps;
                }
                return _value;
            }
        }
    }

    private static (DateTime WrittenUtc, long Length) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}
