using ActorStore.Protocol.Text;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ActorStore.Configuration;

/// <summary>
/// Reads etcd's YAML configuration file. etcd turns the YAML into JSON and decodes that into Go structs, so:
/// keys match flag names (case-insensitively, like Go's JSON decoder), unknown keys are ignored, plain scalars
/// follow YAML 1.1 (yes/no/on/off are booleans), durations are integers of nanoseconds, URL lists are
/// comma-separated strings, TLS files sit under client-transport-security / peer-transport-security.
/// Type mismatches produce the same messages as etcd.
/// </summary>
internal static partial class YamlConfigReader
{
    private const string DecodePrefix = "error unmarshaling JSON: while decoding JSON: json: ";
    private static readonly IReadOnlyList<string> SecuritySections = ["client-transport-security", "peer-transport-security"];

    internal sealed record YamlSettings(IReadOnlyList<(FlagSpec Spec, object? Value)> Values, IReadOnlyList<string> UnknownKeys);

    public static string? TryRead(string text, out YamlSettings settings)
    {
        settings = new YamlSettings([], []);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException error)
        {
            return $"error converting YAML to JSON: yaml: line {error.Start.Line}: {FirstLine(error.InnerException?.Message ?? error.Message)}";
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return DecodePrefix + $"cannot unmarshal {JsonKind(stream.Documents[0].RootNode)} into Go value of type embed.configYAML";
        }

        var values = new List<(FlagSpec, object?)>();
        var unknown = new List<string>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var section = SecuritySections.FirstOrDefault(s => string.Equals(s, key, StringComparison.OrdinalIgnoreCase));
            if (section is not null)
            {
                if (IsNull(valueNode))
                {
                    continue;
                }

                if (valueNode is not YamlMappingNode sectionNode)
                {
                    return DecodePrefix + $"cannot unmarshal {JsonKind(valueNode)} into Go struct field configYAML.{section} of type embed.securityConfig";
                }

                foreach (var (subKeyNode, subValueNode) in sectionNode.Children)
                {
                    var subKey = (subKeyNode as YamlScalarNode)?.Value ?? "";
                    var spec = FindSpec(section + "/" + subKey);
                    if (spec is null)
                    {
                        unknown.Add(section + "." + subKey);
                        continue;
                    }

                    var error = Convert(spec, subValueNode, out var present, out var value);
                    if (error is not null)
                    {
                        return error;
                    }

                    if (present)
                    {
                        values.Add((spec, value));
                    }
                }

                continue;
            }

            var topSpec = FindSpec(key);
            if (topSpec is null)
            {
                unknown.Add(key);
                continue;
            }

            var topError = Convert(topSpec, valueNode, out var topPresent, out var topValue);
            if (topError is not null)
            {
                return topError;
            }

            if (topPresent)
            {
                values.Add((topSpec, topValue));
            }
        }

        settings = new YamlSettings(values, unknown);
        return null;
    }

    private static FlagSpec? FindSpec(string yamlKey) =>
        FlagCatalog.All.FirstOrDefault(s => s.YamlKey == yamlKey)
        ?? FlagCatalog.All.FirstOrDefault(s => string.Equals(s.YamlKey, yamlKey, StringComparison.OrdinalIgnoreCase));

    private static string? Convert(FlagSpec spec, YamlNode node, out bool present, out object? value)
    {
        present = false;
        value = null;
        if (IsNull(node))
        {
            return null;
        }

        var field = spec.YamlKey!.Replace('/', '.');
        string Mismatch(string what) => DecodePrefix + $"cannot unmarshal {what} into Go struct field {spec.YamlStruct}.{field} of type {spec.YamlType}";

        if (spec.YamlType == "[]string")
        {
            if (node is not YamlSequenceNode sequence)
            {
                return Mismatch(JsonKind(node));
            }

            var items = new List<string>();
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode itemScalar)
                {
                    return DecodePrefix + $"cannot unmarshal {JsonKind(item)} into Go struct field {spec.YamlStruct}.{field} of type string";
                }

                items.Add(AsString(itemScalar));
            }

            present = true;
            value = spec.Kind == FlagKind.UniqueStrings ? items.Distinct(StringComparer.Ordinal).ToList() : items;
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            return Mismatch(JsonKind(node));
        }

        var text = scalar.Value ?? "";
        var kind = IsPlain(scalar) ? Resolve(scalar) : PlainKind.String;
        present = true;
        switch (spec.YamlType)
        {
            case "bool":
                if (kind != PlainKind.Bool)
                {
                    return Mismatch(JsonKind(node));
                }

                value = IsTrue(text);
                return null;
            case "time.Duration":
                if (kind == PlainKind.Int && GoValueSyntax.TryParseInteger(text.Replace("_", ""), true, long.MinValue, long.MaxValue, out var nanos) is null)
                {
                    value = TimeSpan.FromTicks(nanos / 100);
                    return null;
                }

                // Not in etcd, which only takes nanoseconds here: Go duration text such as "100ms" is accepted too.
                if (kind == PlainKind.String && GoDuration.TryParse(text, out var duration))
                {
                    value = duration;
                    return null;
                }

                return Mismatch(JsonKind(node));
            case "uint" or "uint64" or "uint32" or "int" or "int64":
            {
                if (kind == PlainKind.Float)
                {
                    return Mismatch("number " + text);
                }

                if (kind != PlainKind.Int)
                {
                    return Mismatch(JsonKind(node));
                }

                var error = GoValueSyntax.TryParseInteger(text.Replace("_", ""), true, spec.Min, spec.Max, out var number);
                if (error is not null)
                {
                    return Mismatch("number " + text);
                }

                value = number;
                return null;
            }

            default:
                return ConvertString(spec, AsString(scalar), out value);
        }
    }

    /// <summary>A string field takes any scalar; YAML booleans and integers arrive in their canonical spelling ("off" becomes "false").</summary>
    private static string AsString(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (!IsPlain(scalar))
        {
            return text;
        }

        return Resolve(scalar) switch
        {
            PlainKind.Bool => IsTrue(text) ? "true" : "false",
            PlainKind.Int when GoValueSyntax.TryParseInteger(text.Replace("_", ""), true, long.MinValue, long.MaxValue, out var number) is null =>
                number.ToString(CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    private static string? ConvertString(FlagSpec spec, string text, out object? value)
    {
        value = text;
        switch (spec.Kind)
        {
            case FlagKind.Urls:
            {
                if (text.Length == 0)
                {
                    // An empty string is no setting at all for etcd.
                    value = null;
                    return null;
                }

                var error = FlagValueParser.TryParse(spec, text, out value);
                return error is null ? null : $"unexpected error setting up {spec.Name}: {error}";
            }

            case FlagKind.UniqueStrings:
                value = text.Length == 0 ? null : FlagValueParser.TryParse(spec, text, out var list) is null ? list : null;
                return null;
            case FlagKind.Choice when spec.Name == "initial-cluster-state":
                // etcd checks the state later ("unexpected clusterState"), and an empty one means "new".
                value = text.Length == 0 ? "new" : text;
                return null;
            case FlagKind.Choice:
                if (text.Length == 0)
                {
                    value = null;
                    return null;
                }

                if (!spec.Choices.Contains(text))
                {
                    var what = spec.Name == "proxy" ? "proxyFlag" : spec.Name + " flag";
                    return $"unexpected error setting up {what}: invalid value";
                }

                return null;
            default:
                return null;
        }
    }

    private enum PlainKind
    {
        String,
        Null,
        Bool,
        Int,
        Float,
    }

    private static bool IsPlain(YamlScalarNode scalar) => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode scalar && IsPlain(scalar) && Resolve(scalar) == PlainKind.Null;

    private static PlainKind Resolve(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return PlainKind.Null;
        }

        if (text is "y" or "Y" or "yes" or "Yes" or "YES" or "n" or "N" or "no" or "No" or "NO"
            or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            or "on" or "On" or "ON" or "off" or "Off" or "OFF")
        {
            return PlainKind.Bool;
        }

        if (GoValueSyntax.TryParseInteger(text.Replace("_", ""), true, long.MinValue, long.MaxValue, out _) is not GoValueSyntax.ParseError
            && text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+'))
        {
            return PlainKind.Int;
        }

        return YamlFloat().IsMatch(text) || text is ".inf" or "-.inf" or "+.inf" or ".nan" or ".Inf" or ".NaN"
            ? PlainKind.Float
            : PlainKind.String;
    }

    private static bool IsTrue(string text) => text is "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON";

    private static string JsonKind(YamlNode node) => node switch
    {
        YamlSequenceNode => "array",
        YamlMappingNode => "object",
        YamlScalarNode scalar when IsPlain(scalar) => Resolve(scalar) switch
        {
            PlainKind.Bool => "bool",
            PlainKind.Int or PlainKind.Float => "number",
            PlainKind.Null => "null",
            _ => "string",
        },
        _ => "string",
    };

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();
}
