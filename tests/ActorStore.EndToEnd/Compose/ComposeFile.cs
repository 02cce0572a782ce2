using YamlDotNet.RepresentationModel;

namespace ActorStore.EndToEnd.Compose;

/// <summary>
/// docker-compose.yml read with YamlDotNet: the services, with YAML anchors and aliases resolved and merge keys
/// (<c>&lt;&lt;: *member</c>) applied, as Compose applies them.
/// </summary>
public sealed class ComposeFile
{
    private ComposeFile(IReadOnlyDictionary<string, ComposeService> services)
    {
        Services = services;
    }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public static ComposeFile Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = new Dictionary<string, ComposeService>(StringComparer.Ordinal);
        foreach (var (key, value) in (YamlMappingNode)root.Children[new YamlScalarNode("services")])
        {
            var name = ((YamlScalarNode)key).Value!;
            services[name] = ReadService(name, Merged((YamlMappingNode)value));
        }
        return new ComposeFile(services);
    }

    private static ComposeService ReadService(string name, IReadOnlyDictionary<string, YamlNode> fields) =>
        new(
            name,
            fields.TryGetValue("hostname", out var hostname) ? Scalar(hostname) : null,
            fields.TryGetValue("environment", out var environment) ? Environment(environment) : new Dictionary<string, string>(),
            fields.TryGetValue("entrypoint", out var entrypoint) ? Words(entrypoint) : null,
            fields.TryGetValue("command", out var command) ? Words(command) : null,
            fields.TryGetValue("healthcheck", out var healthcheck) ? HealthcheckCommand((YamlMappingNode)healthcheck) : null,
            fields.TryGetValue("volumes", out var volumes) ? Volumes((YamlSequenceNode)volumes) : new Dictionary<string, string>());

    /// <summary>A mapping's own keys, then those of the mappings named by its merge key that it does not set itself.</summary>
    private static Dictionary<string, YamlNode> Merged(YamlMappingNode mapping)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping)
        {
            if (Scalar(key) != "<<")
            {
                fields[Scalar(key)] = value;
            }
        }
        if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged))
        {
            IEnumerable<YamlMappingNode> sources = merged is YamlSequenceNode list ? list.Children.Cast<YamlMappingNode>() : [(YamlMappingNode)merged];
            foreach (var source in sources)
            {
                foreach (var (key, value) in Merged(source))
                {
                    fields.TryAdd(key, value);
                }
            }
        }
        return fields;
    }

    private static Dictionary<string, string> Environment(YamlNode node)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlMappingNode mapping)
        {
            foreach (var (key, value) in Merged(mapping))
            {
                environment[key] = Scalar(value);
            }
        }
        else
        {
            foreach (var entry in ((YamlSequenceNode)node).Children.Select(Scalar))
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                environment[entry[..equals]] = entry[(equals + 1)..];
            }
        }
        return environment;
    }

    /// <summary>The health check's test without its CMD marker (CMD-SHELL checks are not used by this file).</summary>
    private static IReadOnlyList<string> HealthcheckCommand(YamlMappingNode healthcheck)
    {
        var test = Words(healthcheck.Children[new YamlScalarNode("test")]);
        return test[0] == "CMD" ? test.Skip(1).ToArray() : throw new NotSupportedException("health check " + string.Join(' ', test));
    }

    /// <summary>Named volumes: "name:/mount/point[:ro]".</summary>
    private static Dictionary<string, string> Volumes(YamlSequenceNode volumes) =>
        volumes.Children.Select(Scalar).Select(entry => entry.Split(':')).ToDictionary(parts => parts[0], parts => parts[1]);

    /// <summary>A list, or a string split on spaces as Compose splits a command given as one string.</summary>
    private static IReadOnlyList<string> Words(YamlNode node) => node is YamlSequenceNode list
        ? list.Children.Select(Scalar).ToArray()
        : Scalar(node).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
