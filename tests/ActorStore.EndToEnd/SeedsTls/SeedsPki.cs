using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// The seeds' certificate directory, made the way their deployment guide makes it: `actorstore certs` for the CA,
/// one certificate per member (127.0.0.1 and localhost) and one for the client user root. The directory goes on dispose.
/// </summary>
public sealed class SeedsPki : IDisposable
{
    public const string ClientUser = "root";

    private static readonly TimeSpan CertsTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDir _dir;

    private SeedsPki(TempDir dir)
    {
        _dir = dir;
    }

    public string Dir => _dir.Path;
    public string CaFile => File("ca.pem");
    public string ClientCertFile => File(ClientUser + ".pem");
    public string ClientKeyFile => File(ClientUser + "-key.pem");

    /// <summary>etcdctl's flags for the client user: the CA to check members with, and the certificate to show them.</summary>
    public IReadOnlyList<string> EtcdctlArgs => ["--cacert", CaFile, "--cert", ClientCertFile, "--key", ClientKeyFile];

    public string MemberCertFile(string member) => File(member + ".pem");
    public string MemberKeyFile(string member) => File(member + "-key.pem");

    public static async Task<SeedsPki> CreateAsync(IEnumerable<string> members)
    {
        var dir = new TempDir();
        try
        {
            await CertsAsync(dir.Path, "--ca");
            foreach (var member in members)
            {
                await CertsAsync(dir.Path, "--member", member, "--hosts", "127.0.0.1,localhost");
            }
            await CertsAsync(dir.Path, "--client", ClientUser);
            return new SeedsPki(dir);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task CertsAsync(string dir, params string[] args) =>
        CommandResult.AssertOk(await ProcessRunner.RunAsync(
            "dotnet", [RepoPaths.ActorStoreDll, "certs", "--dir", dir, .. args], timeout: CertsTimeout));

    private string File(string name) => Path.Combine(_dir.Path, name);
}
