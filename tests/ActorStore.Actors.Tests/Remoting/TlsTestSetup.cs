using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Actors.Tests.Remoting;

/// <summary>A throwaway self-signed certificate and a stream wrapper that runs TLS with it on both ends.</summary>
internal sealed class TlsTestSetup : IDisposable
{
    private int _handshakes;

    public TlsTestSetup()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Completed TLS handshakes, counting each end separately.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    public async ValueTask<Stream> WrapAsync(Stream inner, bool isServer, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            if (isServer)
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, cancellationToken);
            }
            else
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    RemoteCertificateValidationCallback = (_, presented, _, _) =>
                        presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString(),
                }, cancellationToken);
            }
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
        Interlocked.Increment(ref _handshakes);
        return tls;
    }

    public void Dispose() => Certificate.Dispose();
}
