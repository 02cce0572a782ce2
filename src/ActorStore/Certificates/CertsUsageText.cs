using System.Text;

namespace ActorStore.Certificates;

/// <summary>`actorstore certs --help`: what the command makes, its flags with their defaults, and a whole cluster's worth as an example.</summary>
internal static class CertsUsageText
{
    public const string Usage = """
        Usage:

          actorstore certs [flags]
            Make the TLS files of an etcd cluster, as deployments otherwise make them with cfssl or openssl:
            a CA (ca.pem, ca-key.pem), member certificates for server and client use with the members' IP
            addresses and DNS names, and client certificates whose common name is an etcd user name.
            Keys are ECDSA P-256 (private keys are written readable by their owner only, mode 0600); the CA is
            valid for 10 years, the certificates it signs for 5. Existing files are never replaced: a call
            that would replace one writes nothing and fails.

        """;

    public const string Example = """

        Example: a CA, three members and a certificate for the etcd user root

          actorstore certs --dir certs --ca
          actorstore certs --dir certs --member infra0 --hosts 10.0.1.10,infra0.example.com,localhost,127.0.0.1
          actorstore certs --dir certs --member infra1 --hosts 10.0.1.11,infra1.example.com,localhost,127.0.0.1
          actorstore certs --dir certs --member infra2 --hosts 10.0.1.12,infra2.example.com,localhost,127.0.0.1
          actorstore certs --dir certs --client root

        infra0 then serves with etcd's flags
          --cert-file certs/infra0.pem --key-file certs/infra0-key.pem --trusted-ca-file certs/ca.pem --client-cert-auth
          --peer-cert-file certs/infra0.pem --peer-key-file certs/infra0-key.pem --peer-trusted-ca-file certs/ca.pem --peer-client-cert-auth
        and etcdctl talks to it as root with
          etcdctl --endpoints https://10.0.1.10:2379 --cacert certs/ca.pem --cert certs/root.pem --key certs/root-key.pem get foo

        """;

    public static string Full()
    {
        var builder = new StringBuilder(Usage).Append("\nFlags:\n");
        foreach (var spec in CertsCommandLine.Flags)
        {
            var shown = spec.Name switch
            {
                CertsCommandLine.DirFlag => $" '{CertsCommandLine.DefaultDirectory}'",
                CertsCommandLine.CaFlag => " 'false'",
                CertsCommandLine.HostsFlag => " HOSTS",
                _ => " NAME",
            };
            builder.Append("  --").Append(spec.Name).Append(shown).Append('\n');
            builder.Append("    ").Append(spec.Help).Append('\n');
        }
        return builder.Append(Example).ToString();
    }
}
