namespace ActorStore.Configuration;

/// <summary>-h or --help: etcd prints <paramref name="Usage"/> to stderr and <paramref name="Flags"/> to stdout, then exits 0.</summary>
public sealed record HelpRequested(string Usage, string Flags) : ConfigLoadResult;
