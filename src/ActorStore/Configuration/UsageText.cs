using System.Text;

namespace ActorStore.Configuration;

/// <summary>The help text, laid out like etcd's: a usage summary, then every flag by group with its default.</summary>
internal static class UsageText
{
    public const string Usage = """
        Usage:

          actorstore [flags]
            Start an ActorStore member (etcd v3 API).

          actorstore --version
            Show the version of actorstore and of the etcd API it serves.

          actorstore -h | --help
            Show this help.

          actorstore certs [flags]
            Make a CA and the member and client certificates for TLS (see actorstore certs --help).

          actorstore --config-file <file>
            Read the configuration from a file: etcd's YAML (other flags and ETCD_ variables are then ignored,
            as in etcd), or HOCON when the name ends in .conf (flags and variables still apply on top).

        """;

    public static string Flags(SettingValues defaults)
    {
        var builder = new StringBuilder();
        foreach (var group in FlagCatalog.All.Where(static s => s.IsFlag && s.Group.Length > 0).GroupBy(static s => s.Group))
        {
            builder.Append('\n').Append(group.Key).Append(":\n");
            foreach (var spec in group)
            {
                var shown = spec.Name switch
                {
                    "data-dir" => "${name}.etcd",
                    _ => FlagValueParser.Render(defaults[spec.Name]),
                };
                builder.Append("  --").Append(spec.Name).Append(" '").Append(shown).Append("'\n");
                builder.Append("    ").Append(spec.Help).Append('\n');
            }
        }

        builder.Append("\nActorStore (HOCON settings, also read from ACTORSTORE_ variables):\n");
        foreach (var spec in FlagCatalog.All.Where(static s => !s.IsFlag))
        {
            builder.Append("  ").Append(spec.FullHoconPath).Append(" '").Append(FlagValueParser.Render(defaults[spec.Name])).Append("'\n");
            builder.Append("    ").Append(spec.Help).Append(" Variable: ").Append(spec.EnvironmentVariable).Append('\n');
        }

        builder.Append("\nEvery flag can also be given as an ETCD_ variable: --initial-cluster-token is ETCD_INITIAL_CLUSTER_TOKEN.\n");
        builder.Append("Unsafe flags may break the guarantees of the consensus protocol; use them with care.\n");
        return builder.ToString();
    }
}
