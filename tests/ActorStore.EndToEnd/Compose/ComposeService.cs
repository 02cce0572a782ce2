namespace ActorStore.EndToEnd.Compose;

/// <summary>
/// What docker-compose.yml says about one service: its host name, environment, entrypoint and command (null when
/// the image's apply), health check command (without its leading CMD) and volume mounts (volume name to mount point).
/// </summary>
public sealed record ComposeService(
    string Name,
    string? Hostname,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string>? Entrypoint,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Healthcheck,
    IReadOnlyDictionary<string, string> Volumes);
