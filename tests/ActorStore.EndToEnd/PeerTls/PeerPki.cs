using ActorStore.EndToEnd.Cluster;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// The certificates of one TLS test cluster (members m1..m3) and of the peer that must not get in (m4, the intruder),
/// with the flags every member is started with: etcd's peer TLS flags, plus --logger=zap so that etcd logs the same
/// JSON lines as ActorStore. The intruder is configured as if it belonged: the same flags, only its own certificate.
/// </summary>
public sealed class PeerPki : IDisposable
{
    /// <summary>The one CN an --peer-cert-allowed-cn cluster accepts; its members all carry it.</summary>
    public const string AllowedCn = "actorstore-peer";

    /// <summary>The host name an --peer-cert-allowed-hostname cluster wants a peer's certificate to be valid for.</summary>
    public const string AllowedHostname = "peers.actorstore.test";

    private static readonly string[] MemberNames = ["m1", "m2", "m3"];

    private readonly TestPki _files;
    private readonly IReadOnlyDictionary<string, IssuedCertificate> _members;

    private PeerPki(
        TestPki files, CertificateAuthority authority, IReadOnlyDictionary<string, IssuedCertificate> members,
        IssuedCertificate intruder, IReadOnlyList<string> commonArgs)
    {
        _files = files;
        Authority = authority;
        _members = members;
        Intruder = intruder;
        CommonArgs = commonArgs;
    }

    public CertificateAuthority Authority { get; }
    public IssuedCertificate Intruder { get; }

    /// <summary>A certificate of the cluster's own CA that its CRL revokes (mutual TLS set only).</summary>
    public IssuedCertificate? Revoked { get; private init; }

    /// <summary>Flags every member (and the intruder) gets, before its certificate and key.</summary>
    public IReadOnlyList<string> CommonArgs { get; }

    public IssuedCertificate Member(string name) => _members[name];

    public ClusterSpec Spec => new()
    {
        PeerScheme = "https",
        ExtraArgs = CommonArgs,
        MemberArgs = name => CertificateArgs(Member(name)),
    };

    public IReadOnlyList<string> ArgsFor(IssuedCertificate certificate) => [.. CommonArgs, .. CertificateArgs(certificate)];

    /// <summary>
    /// Mutual TLS: members with CN = their name, peer client certificates required and checked against the CA and
    /// its CRL; the intruder's certificate (CN m4) comes from an unrelated CA.
    /// </summary>
    public static async Task<PeerPki> CreateMutualAsync()
    {
        var files = new TestPki();
        try
        {
            var authority = await files.CreateAuthorityAsync("actorstore-test-ca");
            var members = await IssueMembersAsync(files, authority, name => name, []);
            var revoked = await files.IssueAsync(authority, "revoked", "m5", "m5");
            var crl = await files.RevokeAsync(authority, revoked);
            var other = await files.CreateAuthorityAsync("unrelated-ca");
            var intruder = await files.IssueAsync(other, "intruder", "m4", "m4", "localhost");
            string[] common =
            [
                "--logger=zap",
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file", authority.CertFile,
                "--peer-crl-file", crl,
            ];
            return new PeerPki(files, authority, members, intruder, common) { Revoked = revoked };
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// --peer-cert-allowed-cn: every member's certificate carries CN <see cref="AllowedCn"/> (its own names in
    /// subjectAltName); the intruder's is signed by the same CA but names itself m4.
    /// </summary>
    public static async Task<PeerPki> CreateAllowedCnAsync()
    {
        var files = new TestPki();
        try
        {
            var authority = await files.CreateAuthorityAsync("actorstore-test-ca");
            var members = await IssueMembersAsync(files, authority, _ => AllowedCn, []);
            var intruder = await files.IssueAsync(authority, "intruder", "m4", "m4", "localhost");
            string[] common =
            [
                "--logger=zap",
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file", authority.CertFile,
                "--peer-cert-allowed-cn", AllowedCn,
            ];
            return new PeerPki(files, authority, members, intruder, common);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// --peer-cert-allowed-hostname: every member's certificate is valid for <see cref="AllowedHostname"/> besides its
    /// own names; the intruder's is signed by the same CA, with CN m4 and valid only for its own names.
    /// </summary>
    public static async Task<PeerPki> CreateAllowedHostnameAsync()
    {
        var files = new TestPki();
        try
        {
            var authority = await files.CreateAuthorityAsync("actorstore-test-ca");
            var members = await IssueMembersAsync(files, authority, name => name, [AllowedHostname]);
            var intruder = await files.IssueAsync(authority, "intruder", "m4", "m4", "localhost");
            string[] common =
            [
                "--logger=zap",
                "--peer-client-cert-auth",
                "--peer-trusted-ca-file", authority.CertFile,
                "--peer-cert-allowed-hostname", AllowedHostname,
            ];
            return new PeerPki(files, authority, members, intruder, common);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    public void Dispose() => _files.Dispose();

    private static IReadOnlyList<string> CertificateArgs(IssuedCertificate certificate) =>
        ["--peer-cert-file", certificate.CertFile, "--peer-key-file", certificate.KeyFile];

    private static async Task<IReadOnlyDictionary<string, IssuedCertificate>> IssueMembersAsync(
        TestPki files, CertificateAuthority authority, Func<string, string> commonName, string[] sharedDnsNames)
    {
        var members = new Dictionary<string, IssuedCertificate>();
        foreach (var name in MemberNames)
        {
            members[name] = await files.IssueAsync(authority, name, commonName(name), [name, "localhost", .. sharedDnsNames]);
        }
        return members;
    }
}
