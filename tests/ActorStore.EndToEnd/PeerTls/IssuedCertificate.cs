namespace ActorStore.EndToEnd.PeerTls;

/// <summary>A certificate and its key, as PEM files, signed by <paramref name="Authority"/>; its serial as openssl prints it (hex).</summary>
public sealed record IssuedCertificate(string CommonName, string CertFile, string KeyFile, CertificateAuthority Authority, string Serial);
