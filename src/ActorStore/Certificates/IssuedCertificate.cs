namespace ActorStore.Certificates;

/// <summary>A certificate and its private key, in PEM, and when the certificate expires.</summary>
internal sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem, DateTimeOffset NotAfter);
