using System.Text.Json;

namespace ActorStore.EndToEnd.Compose;

/// <summary>
/// What the final stage of docker/Dockerfile says about the image: its user, environment, entrypoint, default command,
/// and the files copied in from the repository (image path to repository path).
/// </summary>
public sealed record DockerfileFacts(
    string User,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> CopiedFromRepository)
{
    public static DockerfileFacts Load(string path)
    {
        // Continuation lines joined; the last FROM starts the stage the image is made of.
        var lines = File.ReadAllText(path).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();
        var finalStage = lines.Skip(lines.FindLastIndex(line => line.StartsWith("FROM ", StringComparison.Ordinal)) + 1);
        var user = "root";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyList<string> entrypoint = [];
        IReadOnlyList<string> command = [];
        var copied = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in finalStage)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var (instruction, rest) = (line[..space], line[(space + 1)..].Trim());
            switch (instruction)
            {
                case "USER":
                    user = rest;
                    break;
                case "ENV":
                    var equals = rest.IndexOf('=', StringComparison.Ordinal);
                    environment[rest[..equals]] = rest[(equals + 1)..];
                    break;
                case "ENTRYPOINT":
                    entrypoint = JsonSerializer.Deserialize<string[]>(rest)!;
                    break;
                case "CMD":
                    command = JsonSerializer.Deserialize<string[]>(rest)!;
                    break;
                case "COPY" when !rest.StartsWith("--from", StringComparison.Ordinal):
                    var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    copied[parts[1]] = parts[0];
                    break;
            }
        }
        return new DockerfileFacts(user, environment, entrypoint, command, copied);
    }
}
