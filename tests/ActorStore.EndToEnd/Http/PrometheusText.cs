namespace ActorStore.EndToEnd.Http;

/// <summary>
/// A small reader of Prometheus' text format (version 0.0.4): metric families with their TYPE, HELP, the label
/// names their samples carry and the values of their plain samples. Enough to compare two scrapes by shape.
/// </summary>
public sealed class PrometheusText
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private PrometheusText(Dictionary<string, MetricFamily> families) => Families = families;

    public IReadOnlyDictionary<string, MetricFamily> Families { get; }

    public static PrometheusText Parse(string text)
    {
        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        MetricFamily Family(string name) => families.TryGetValue(name, out var f) ? f : families[name] = new MetricFamily(name);

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ');
                Family(space < 0 ? rest : rest[..space]).Help = space < 0 ? "" : rest[(space + 1)..];
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                Family(parts[0]).Type = parts[1];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var (sampleName, labels, value) = ParseSample(line);
            var familyName = sampleName;
            foreach (var suffix in HistogramSuffixes)
            {
                var trimmed = sampleName.EndsWith(suffix, StringComparison.Ordinal) ? sampleName[..^suffix.Length] : null;
                if (trimmed is not null && families.TryGetValue(trimmed, out var histogram) && histogram.Type is "histogram" or "summary")
                {
                    familyName = trimmed;
                    break;
                }
            }
            var family = Family(familyName);
            family.LabelNames.UnionWith(labels.Keys.Where(label => label is not "le" and not "quantile"));
            family.Samples.Add((sampleName, labels, value));
        }
        return new PrometheusText(families);
    }

    /// <summary>The value of the family's sample without labels (or with exactly these labels).</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        // A histogram's _count and _sum samples live in the histogram's family.
        var samples = Families.TryGetValue(name, out var family) ? family.Samples : Families.Values.SelectMany(f => f.Samples);
        foreach (var (sample, sampleLabels, value) in samples)
        {
            if (sample == name && sampleLabels.Count == labels.Length && labels.All(l => sampleLabels.TryGetValue(l.Label, out var v) && v == l.Value))
            {
                return value;
            }
        }
        throw new KeyNotFoundException($"no sample {name} with labels {string.Join(",", labels)}");
    }

    private static (string Name, Dictionary<string, string> Labels, double Value) ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{');
        string name;
        string rest;
        if (brace >= 0)
        {
            name = line[..brace];
            var position = brace + 1;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals].Trim(',', ' ');
                var start = equals + 2; // past ="
                var value = new System.Text.StringBuilder();
                var i = start;
                for (; line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                    }
                    value.Append(line[i]);
                }
                labels[label] = value.ToString();
                position = i + 1;
                if (line[position] == ',')
                {
                    position++;
                }
            }
            rest = line[(position + 1)..].Trim();
        }
        else
        {
            var space = line.IndexOf(' ');
            name = line[..space];
            rest = line[(space + 1)..].Trim();
        }
        var valueText = rest.Split(' ')[0];
        var parsed = valueText switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(valueText, System.Globalization.CultureInfo.InvariantCulture),
        };
        return (name, labels, parsed);
    }
}
