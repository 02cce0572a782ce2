using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace ActorStore.Client.Remoting;

/// <summary>Accepts a member's TLS certificate when it chains to one of the trusted CAs (or, without any, to the system's roots).</summary>
internal sealed class MemberCertificateValidator(X509Certificate2Collection trusted)
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public bool Validate(X509Certificate2? certificate, X509Chain? chain, string remotePeer, SslPolicyErrors errors, ILoggingAdapter log)
    {
        if (certificate is null)
        {
            log.Warning("ActorStore member {0} presented no TLS certificate", remotePeer);
            return false;
        }
        if (trusted.Count == 0)
        {
            // Host names are not checked: members are dialed by address, as members dial each other.
            var accepted = (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
            if (!accepted)
            {
                log.Warning("ActorStore member {0} certificate refused: {1}", remotePeer, errors);
            }
            return accepted;
        }
        using var verify = new X509Chain();
        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verify.ChainPolicy.CustomTrustStore.AddRange(trusted);
        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // The chain is built from what the member presented: no network fetches inside a handshake.
        verify.ChainPolicy.DisableCertificateDownloads = true;
        verify.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        verify.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                verify.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (verify.Build(certificate))
        {
            return true;
        }
        log.Warning("ActorStore member {0} certificate {1} refused: {2}", remotePeer, certificate.Subject,
            string.Join("; ", verify.ChainStatus.Select(status => status.StatusInformation.Trim())));
        return false;
    }
}
