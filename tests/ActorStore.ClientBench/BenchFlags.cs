namespace ActorStore.ClientBench;

/// <summary>--name value pairs after the workload.</summary>
public sealed class BenchFlags(Dictionary<string, string> values)
{
    public static BenchFlags Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new BenchFlags(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string Require(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
}
