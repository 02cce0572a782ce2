using ActorStore.Protocol.Text;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorStore.Configuration;

/// <summary>Reads the settings of the catalog from a HOCON configuration parsed by Akka (paths under "actorstore").</summary>
internal static class HoconSettingsReader
{
    /// <summary>
    /// Reads one setting; returns an error message naming the setting and <paramref name="source"/>, or null with
    /// <paramref name="found"/> telling whether it was present.
    /// </summary>
    public static string? TryRead(FlagSpec spec, Config config, string source, out bool found, out object? value)
    {
        value = null;
        found = false;
        var path = spec.FullHoconPath;
        if (spec.HoconPath is null || !config.HasPath(path))
        {
            return null;
        }

        found = true;
        var node = config.GetValue(path);
        if (node.IsObject())
        {
            return Invalid("{...}", "expected a value, found an object");
        }

        // Akka calls an empty list neither a list nor a string.
        var isList = node.IsArray() || node.Values.Any(static v => v is HoconArray);
        var text = isList ? "[" + string.Join(", ", node.GetStringList()) + "]" : node.GetString();
        if (text is null)
        {
            return Invalid("null", "a value is required");
        }

        if (isList && spec.Kind is not (FlagKind.Urls or FlagKind.UniqueStrings or FlagKind.Strings))
        {
            return Invalid(text, "expected a single value, found a list");
        }

        try
        {
            var error = Read(spec, config, node, isList, text, out value);
            return error is null ? null : Invalid(text, error);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or OverflowException or ConfigurationException)
        {
            // Akka's getters throw these for text that is not of the type asked for.
            value = null;
            return Invalid(text, e.Message.Split('\n')[0].Trim());
        }

        string Invalid(string shown, string reason) =>
            $"invalid value {GoQuote.Quote(shown)} for {path} in {source}: {reason}";
    }

    private static string? Read(FlagSpec spec, Config config, HoconValue node, bool isList, string text, out object? value)
    {
        var path = spec.FullHoconPath;
        value = null;
        switch (spec.Kind)
        {
            case FlagKind.String:
                value = text;
                return null;
            case FlagKind.Bool:
                // HOCON's words for booleans; Akka's getter knows only some of them.
                value = text.ToLowerInvariant() switch
                {
                    "true" or "on" or "yes" => true,
                    "false" or "off" or "no" => false,
                    _ => null,
                };
                return value is null ? "expected a boolean (true, false, on, off, yes or no)" : null;
            case FlagKind.Choice:
                value = text;
                return spec.Choices.Contains(text) ? null : $"must be one of {string.Join(", ", spec.Choices)}";
            case FlagKind.Integer or FlagKind.UInt32:
                return ReadInteger(spec, config, text, out value);
            case FlagKind.Duration:
                value = GoDuration.TryParse(text, out var goStyle) ? goStyle : config.GetTimeSpan(path, null, allowInfinite: false);
                return null;
            case FlagKind.Urls:
            {
                var joined = isList ? string.Join(',', node.GetStringList()) : text;
                if (joined.Length == 0)
                {
                    value = new List<string>();
                    return null;
                }

                return FlagValueParser.TryParse(spec, joined, out value);
            }

            case FlagKind.UniqueStrings or FlagKind.Strings:
            {
                IEnumerable<string> items = isList ? node.GetStringList() : text.Length > 0 ? text.Split(',') : [];
                value = spec.Kind == FlagKind.UniqueStrings
                    ? items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
                    : items.ToList();
                return null;
            }

            default:
                return null;
        }
    }

    private static string? ReadInteger(FlagSpec spec, Config config, string text, out object? value)
    {
        var path = spec.FullHoconPath;
        value = null;
        var isNumber = GoValueSyntax.TryParseInteger(text, spec.Min < 0, long.MinValue, long.MaxValue, out var number) is null;
        switch (spec.Unit)
        {
            case HoconUnit.Milliseconds or HoconUnit.Seconds when !isNumber:
            {
                var duration = GoDuration.TryParse(text, out var goStyle) ? goStyle : config.GetTimeSpan(path, null, allowInfinite: false);
                var unit = spec.Unit == HoconUnit.Milliseconds ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(1);
                if (duration.Ticks % unit.Ticks != 0)
                {
                    return $"must be a whole number of {(spec.Unit == HoconUnit.Milliseconds ? "milliseconds" : "seconds")}";
                }

                number = duration.Ticks / unit.Ticks;
                break;
            }

            case HoconUnit.Bytes when !isNumber:
                number = config.GetByteSize(path) ?? throw new FormatException("expected a size such as 2MiB or 65536");
                break;
            default:
                if (!isNumber)
                {
                    return GoValueSyntax.TryParseInteger(text, spec.Min < 0, long.MinValue, long.MaxValue, out _) ?? GoValueSyntax.ParseError;
                }

                break;
        }

        if (number < spec.Min || number > spec.Max)
        {
            return GoValueSyntax.RangeError;
        }

        value = number;
        return null;
    }
}
