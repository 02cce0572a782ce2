using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Server.Certificates;
using ActorStore.Server.Tls;
using Xunit;

namespace ActorStore.Server.Tests.Certificates;

/// <summary>Key files are created owner-only and nothing existing is replaced; auto-TLS writes its key that way too.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class NewFilesTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("new-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_private_key_file_is_created_owner_only_and_an_existing_file_is_not_replaced()
    {
        var keyFile = Path.Combine(_dir, "k.pem");
        using (var stream = NewFiles.Create(keyFile, privateKey: true))
        {
            stream.WriteByte(1);
        }

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(keyFile));
        Assert.Throws<IOException>(() => NewFiles.Create(keyFile, privateKey: true).Dispose());
        Assert.Equal([1], File.ReadAllBytes(keyFile));
    }

    [Fact]
    public void Auto_tls_writes_its_key_owner_only_and_remakes_a_pair_cut_short()
    {
        var peerDir = Path.Combine(_dir, "fixtures", "peer");
        Directory.CreateDirectory(peerDir);
        File.WriteAllText(Path.Combine(peerDir, "key.pem"), "left over from a crash");

        var (certFile, keyFile) = TlsCertificateFiles.EnsureSelfSigned(peerDir, ["127.0.0.1", "localhost"], TimeProvider.System);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(keyFile));
        using var pair = TlsCertificateFiles.LoadPem(certFile, keyFile);
        var names = Assert.Single(pair.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["localhost"], names.EnumerateDnsNames());
        Assert.Equal(2, Assert.Single(pair.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Count);
    }
}
