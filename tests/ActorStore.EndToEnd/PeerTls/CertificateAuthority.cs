namespace ActorStore.EndToEnd.PeerTls;

/// <summary>A self-signed CA (CA:TRUE) made by <see cref="TestPki"/>: its certificate, key and serial file.</summary>
public sealed record CertificateAuthority(string Name, string CertFile, string KeyFile, string SerialFile);
