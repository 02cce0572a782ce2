namespace ActorStore.Configuration;

/// <summary>
/// One setting: its etcd flag name, how to parse it, where it lives in HOCON and etcd's YAML, and help text.
/// </summary>
internal sealed record FlagSpec(string Name, FlagKind Kind, string Group, string Help)
{
    /// <summary>Path under "actorstore." in HOCON; null when the setting cannot be written there.</summary>
    public string? HoconPath { get; init; }

    /// <summary>Key in etcd's YAML file ("section/key" inside a security section); null when etcd's YAML lacks it.</summary>
    public string? YamlKey { get; init; }

    /// <summary>The Go struct etcd decodes the YAML key into, for error messages.</summary>
    public string YamlStruct { get; init; } = "configYAML";

    /// <summary>The Go type etcd decodes the YAML key into ("uint", "string", "[]string", "time.Duration", ...).</summary>
    public string YamlType { get; init; } = "string";

    /// <summary>False for ActorStore's own settings, which have no command-line flag and no ETCD_ variable.</summary>
    public bool IsFlag { get; init; } = true;

    /// <summary>True when ActorStore acts on the setting today.</summary>
    public bool Implemented { get; init; }

    /// <summary>
    /// For a setting not built yet: what it would change ("security", "how the cluster forms"). Ignoring such a
    /// setting would start a member that is less safe or clustered differently than asked, so giving it refuses
    /// to start; other unbuilt settings only warn.
    /// </summary>
    public string? RefusedBecauseItChanges { get; init; }

    /// <summary>
    /// For a setting ActorStore deliberately does not build (with <see cref="RefusedBecauseItChanges"/>): why, and
    /// what to do instead; the refusal says so rather than "not supported yet".
    /// </summary>
    public string? NotBuiltBecause { get; init; }

    /// <summary>Smallest and largest value of an <see cref="FlagKind.Integer"/> setting.</summary>
    public long Min { get; init; }

    public long Max { get; init; } = long.MaxValue;

    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Values a <see cref="FlagKind.Urls"/> setting accepts without parsing them as URLs ("*" for --cors).</summary>
    public IReadOnlyList<string> UrlExceptions { get; init; } = [];

    public HoconUnit Unit { get; init; }

    public string EnvironmentVariable => IsFlag
        ? "ETCD_" + Name.Replace('-', '_').ToUpperInvariant()
        : "ACTORSTORE_" + (HoconPath ?? Name).Replace('.', '_').Replace('-', '_').ToUpperInvariant();

    public string FullHoconPath => "actorstore." + HoconPath;

    /// <summary>ACTORSTORE_&lt;PATH&gt;: the variable for the setting's HOCON path; null when it has none.</summary>
    public string? HoconEnvironmentVariable => HoconPath is null
        ? null
        : "ACTORSTORE_" + HoconPath.Replace('.', '_').Replace('-', '_').ToUpperInvariant();
}
