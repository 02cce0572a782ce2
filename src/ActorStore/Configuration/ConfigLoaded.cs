namespace ActorStore.Configuration;

/// <param name="Config">The configuration to run with.</param>
/// <param name="FlagsWithoutEffectYet">
/// etcd settings the user gave (on the command line, in the environment or in a configuration file, with a value other
/// than the default) that ActorStore accepts but does not act on yet; worth a warning each.
/// </param>
public sealed record ConfigLoaded(MemberConfig Config, IReadOnlyList<string> FlagsWithoutEffectYet) : ConfigLoadResult
{
    /// <summary>
    /// The merged HOCON: reference.conf, then a HOCON --config-file, then ACTORSTORE_* variables (a YAML file is not
    /// HOCON, so with one this is reference.conf and ACTORSTORE_* only). ETCD_* variables and flags are not in it.
    /// Holds the akka.* settings for the member's ActorSystem.
    /// </summary>
    public Akka.Configuration.Config Hocon { get; init; } = Akka.Configuration.Config.Empty;
}
