using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// Certificates made with the openssl command line the way deployment guides for etcd make them: a self-signed CA,
/// then per member a key, a request with CN = the member's name, and a certificate signed by the CA for serverAuth and
/// clientAuth whose subjectAltName holds 127.0.0.1 and the member's names. Revocation goes through `openssl ca` with a
/// minimal config of its own. Everything lives in a temp dir removed on dispose.
/// </summary>
public sealed class TestPki : IDisposable
{
    // ECDSA P-256 as etcd's own TLS set-up examples use; an RSA key takes openssl up to a second to make.
    private static readonly string[] NewKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];

    private readonly TempDir _dir = new();

    public string Dir => _dir.Path;

    public async Task<CertificateAuthority> CreateAuthorityAsync(string name)
    {
        var cert = File(name + ".crt");
        var key = File(name + ".key");
        await OpenSsl.RunOkAsync(
        [
            "req", "-x509", .. NewKey, "-nodes", "-keyout", key, "-out", cert, "-days", "3",
            "-subj", "/CN=" + name,
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        return new CertificateAuthority(name, cert, key, File(name + ".srl"));
    }

    /// <summary>A certificate for a peer: files <paramref name="fileName"/>.crt and .key, valid for 127.0.0.1 and the DNS names.</summary>
    public Task<IssuedCertificate> IssueAsync(
        CertificateAuthority authority, string fileName, string commonName, params string[] dnsNames) =>
        IssueAsync(authority, fileName, commonName, days: 2, dnsNames);

    /// <summary>As <see cref="IssueAsync(CertificateAuthority, string, string, string[])"/>, but one that expired a day ago.</summary>
    public Task<IssuedCertificate> IssueExpiredAsync(
        CertificateAuthority authority, string fileName, string commonName, params string[] dnsNames) =>
        // openssl takes negative days: the certificate's notAfter lies a day before its notBefore (now).
        IssueAsync(authority, fileName, commonName, days: -1, dnsNames);

    private async Task<IssuedCertificate> IssueAsync(
        CertificateAuthority authority, string fileName, string commonName, int days, string[] dnsNames)
    {
        var key = File(fileName + ".key");
        var request = File(fileName + ".csr");
        var extensions = File(fileName + ".ext");
        var cert = File(fileName + ".crt");
        var altNames = string.Join(',', new[] { "IP:127.0.0.1" }.Concat(dnsNames.Select(name => "DNS:" + name)));
        await System.IO.File.WriteAllTextAsync(extensions, $"""
            basicConstraints=CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth,clientAuth
            subjectAltName={altNames}

            """);
        await OpenSsl.RunOkAsync(["req", .. NewKey, "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=" + commonName]);
        await OpenSsl.RunOkAsync(
            "x509", "-req", "-in", request, "-CA", authority.CertFile, "-CAkey", authority.KeyFile,
            "-CAserial", authority.SerialFile, "-CAcreateserial", "-out", cert, "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture), "-extfile", extensions);
        var serial = (await OpenSsl.RunOkAsync("x509", "-in", cert, "-noout", "-serial")).StdOut.Trim();
        return new IssuedCertificate(commonName, cert, key, authority, serial["serial=".Length..]);
    }

    /// <summary>Revokes <paramref name="revoked"/> and writes the CA's CRL (PEM) naming them; returns its path.</summary>
    public async Task<string> RevokeAsync(CertificateAuthority authority, params IssuedCertificate[] revoked)
    {
        // openssl ca wants a database and a config naming it; nothing else of a real CA setup is needed to revoke.
        var database = File(authority.Name + "-index.txt");
        var config = File(authority.Name + "-ca.cnf");
        var crl = File(authority.Name + ".crl");
        await System.IO.File.WriteAllTextAsync(database, "");
        await System.IO.File.WriteAllTextAsync(config, $"""
            [ca]
            default_ca = test_ca

            [test_ca]
            database = {database}
            certificate = {authority.CertFile}
            private_key = {authority.KeyFile}
            default_md = sha256
            default_crl_days = 2

            """);
        foreach (var certificate in revoked)
        {
            await OpenSsl.RunOkAsync("ca", "-config", config, "-revoke", certificate.CertFile);
        }
        await OpenSsl.RunOkAsync("ca", "-config", config, "-gencrl", "-out", crl);
        return crl;
    }

    public void Dispose() => _dir.Dispose();

    private string File(string name) => Path.Combine(_dir.Path, name);
}
