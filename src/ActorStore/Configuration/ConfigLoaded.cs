namespace ActorStore.Configuration;

/// <param name="Config">The configuration to run with.</param>
/// <param name="FlagsWithoutEffectYet">
/// etcd settings the user gave (on the command line, in the environment or in a configuration file, with a value other
/// than the default) that ActorStore accepts but does not act on yet; worth a warning each.
/// </param>
public sealed record ConfigLoaded(MemberConfig Config, IReadOnlyList<string> FlagsWithoutEffectYet) : ConfigLoadResult;
