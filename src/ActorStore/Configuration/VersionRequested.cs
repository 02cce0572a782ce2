namespace ActorStore.Configuration;

/// <summary>--version: print <paramref name="Text"/> to stdout and exit 0.</summary>
public sealed record VersionRequested(string Text) : ConfigLoadResult;
