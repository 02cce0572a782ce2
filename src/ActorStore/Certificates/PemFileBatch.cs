using ActorStore.Server.Certificates;

namespace ActorStore.Certificates;

/// <summary>
/// The files one `actorstore certs` call writes: all of them or none. Every path is checked before anything is
/// written, and each file is created new, so a file that appears in between is not replaced either.
/// </summary>
internal sealed class PemFileBatch
{
    private readonly List<(string Path, string Pem, bool PrivateKey)> _files = [];

    public void Add(string path, string pem, bool privateKey) => _files.Add((path, pem, privateKey));

    /// <summary>The paths of the batch that already exist.</summary>
    public IReadOnlyList<string> Existing() => _files.Select(static file => file.Path).Where(Path.Exists).ToList();

    /// <summary>Writes every file; when one cannot be written, those written before it are removed again.</summary>
    public async Task WriteAsync(CancellationToken cancellation)
    {
        var written = new List<string>();
        try
        {
            foreach (var (path, pem, privateKey) in _files)
            {
                await using var stream = NewFiles.Create(path, privateKey);
                written.Add(path);
                await using var writer = new StreamWriter(stream);
                await writer.WriteAsync(pem.AsMemory(), cancellation);
            }
        }
        catch
        {
            foreach (var path in written)
            {
                File.Delete(path);
            }
            throw;
        }
    }
}
