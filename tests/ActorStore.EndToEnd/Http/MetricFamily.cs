namespace ActorStore.EndToEnd.Http;

/// <summary>One metric family of a scrape.</summary>
public sealed class MetricFamily(string name)
{
    public string Name { get; } = name;
    public string? Type { get; set; }
    public string? Help { get; set; }
    public HashSet<string> LabelNames { get; } = new(StringComparer.Ordinal);
    public List<(string Sample, Dictionary<string, string> Labels, double Value)> Samples { get; } = [];
}
