using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorStore.Server.Tls;

/// <summary>
/// The serial numbers a certificate revocation list (--client-crl-file or --peer-crl-file, PEM or DER) revokes. As
/// etcd does, a client or peer whose certificate chain holds a revoked serial is refused; the CRL's own signature and
/// dates are not checked.
/// </summary>
public sealed class CertificateRevocations
{
    private readonly HashSet<string> _revokedSerials;

    private CertificateRevocations(HashSet<string> revokedSerials) => _revokedSerials = revokedSerials;

    public static CertificateRevocations None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    public int Count => _revokedSerials.Count;

    /// <summary>
    /// The CRL in <paramref name="path"/> as it is at each call, read again when the file changes (etcd reads it for every
    /// handshake); <see cref="None"/> when no path is given.
    /// </summary>
    public static Func<CertificateRevocations> Reloading(string path)
    {
        if (path.Length == 0)
        {
            return static () => None;
        }
        var file = new FileBackedValue<CertificateRevocations>([path], () => Load(path));
        return () => file.Current;
    }

    public static CertificateRevocations Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return new CertificateRevocations(ReadRevokedSerials(ToDer(bytes)));
        }
        catch (Exception e) when (e is AsnContentException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a certificate revocation list (PEM or DER): {e.Message}", e);
        }
    }

    /// <summary>The first certificate of <paramref name="chain"/> (leaf first) whose serial is revoked, or null.</summary>
    public X509Certificate2? FindRevoked(IEnumerable<X509Certificate2> chain)
    {
        foreach (var certificate in chain)
        {
            if (_revokedSerials.Contains(Normalize(certificate.SerialNumber)))
            {
                return certificate;
            }
        }
        return null;
    }

    private static byte[] ToDer(byte[] bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        var begin = text.IndexOf("-----BEGIN X509 CRL-----", StringComparison.Ordinal);
        if (begin < 0)
        {
            return bytes;
        }
        var fields = PemEncoding.Find(text.AsSpan(begin));
        return Convert.FromBase64String(text.Substring(begin + fields.Base64Data.Start.Value, fields.Base64Data.End.Value - fields.Base64Data.Start.Value));
    }

    // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signature }; tbsCertList ::= SEQUENCE { version
    // OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL, revokedCertificates SEQUENCE OF SEQUENCE
    // { userCertificate INTEGER, ... } OPTIONAL, [0] extensions OPTIONAL } (RFC 5280, 5.1).
    private static HashSet<string> ReadRevokedSerials(byte[] der)
    {
        var serials = new HashSet<string>(StringComparer.Ordinal);
        var list = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = list.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }
        tbs.ReadSequence();
        tbs.ReadSequence();
        ReadTime(tbs);
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            ReadTime(tbs);
        }
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var entry = revoked.ReadSequence();
                serials.Add(Normalize(Convert.ToHexString(entry.ReadIntegerBytes().Span)));
            }
        }
        return serials;
    }

    private static bool IsTime(Asn1Tag tag) =>
        tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static void ReadTime(AsnReader reader)
    {
        if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime))
        {
            reader.ReadUtcTime();
        }
        else
        {
            reader.ReadGeneralizedTime();
        }
    }

    /// <summary>Serials compare as numbers: upper-case hex without leading zero bytes (DER adds one for a set high bit).</summary>
    private static string Normalize(string hex)
    {
        var trimmed = hex.ToUpperInvariant().TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
