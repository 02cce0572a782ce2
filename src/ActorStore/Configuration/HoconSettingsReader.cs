using ActorStore.Actors.Hocon;

namespace ActorStore.Configuration;

/// <summary>Reads the settings of the catalog from a resolved HOCON configuration (paths under "actorstore").</summary>
internal static class HoconSettingsReader
{
    /// <summary>Reads one setting; returns an error message, or null with <paramref name="found"/> telling whether it was present.</summary>
    public static string? TryRead(FlagSpec spec, HoconConfig config, out bool found, out object? value)
    {
        value = null;
        found = false;
        if (spec.HoconPath is null || !config.TryGetValue(spec.FullHoconPath, out var node))
        {
            return null;
        }

        found = true;
        try
        {
            return Read(spec, config, node, out value);
        }
        catch (HoconException error)
        {
            return error.Message;
        }
    }

    private static string? Read(FlagSpec spec, HoconConfig config, HoconValue node, out object? value)
    {
        var path = spec.FullHoconPath;
        value = null;
        if (node is HoconScalar { Kind: HoconScalarKind.Null })
        {
            return Invalid("null", node, "a value is required");
        }

        switch (spec.Kind)
        {
            case FlagKind.String:
                value = config.GetString(path);
                return null;
            case FlagKind.Bool:
                value = config.GetBool(path);
                return null;
            case FlagKind.Choice:
            {
                var text = config.GetString(path);
                value = text;
                return spec.Choices.Contains(text) ? null : Invalid(text, node, $"must be one of {string.Join(", ", spec.Choices)}");
            }

            case FlagKind.Integer or FlagKind.UInt32:
                return ReadInteger(spec, config, node, out value);
            case FlagKind.Duration:
            {
                var text = config.GetString(path);
                value = GoDuration.TryParse(text, out var goStyle) ? goStyle : config.GetTimeSpan(path);
                return null;
            }

            case FlagKind.Urls:
            {
                var text = node is HoconArray ? string.Join(',', config.GetStringList(path)) : config.GetString(path);
                if (text.Length == 0)
                {
                    value = new List<string>();
                    return null;
                }

                var error = FlagValueParser.TryParse(spec, text, out value);
                return error is null ? null : Invalid(text, node, error);
            }

            case FlagKind.UniqueStrings or FlagKind.Strings:
            {
                IEnumerable<string> items = node is HoconArray
                    ? config.GetStringList(path)
                    : config.GetString(path) is { Length: > 0 } joined ? joined.Split(',') : [];
                value = spec.Kind == FlagKind.UniqueStrings
                    ? items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
                    : items.ToList();
                return null;
            }

            default:
                return null;
        }

        string Invalid(string text, HoconValue at, string reason) =>
            $"invalid value {GoQuote.Quote(text)} for {path} ({at.Position}): {reason}";
    }

    private static string? ReadInteger(FlagSpec spec, HoconConfig config, HoconValue node, out object? value)
    {
        var path = spec.FullHoconPath;
        value = null;
        var text = config.GetString(path);
        long number;
        var isNumber = node is HoconScalar { Kind: HoconScalarKind.Number };
        switch (spec.Unit)
        {
            case HoconUnit.Milliseconds or HoconUnit.Seconds when !isNumber:
            {
                var duration = GoDuration.TryParse(text, out var goStyle) ? goStyle : config.GetTimeSpan(path);
                var unit = spec.Unit == HoconUnit.Milliseconds ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(1);
                if (duration.Ticks % unit.Ticks != 0)
                {
                    return $"invalid value {GoQuote.Quote(text)} for {path} ({node.Position}): must be a whole number of {(spec.Unit == HoconUnit.Milliseconds ? "milliseconds" : "seconds")}";
                }

                number = duration.Ticks / unit.Ticks;
                break;
            }

            case HoconUnit.Bytes:
                number = config.GetByteSize(path);
                break;
            default:
                if (!isNumber)
                {
                    var error = GoValueSyntax.TryParseInteger(text, spec.Min < 0, long.MinValue, long.MaxValue, out number);
                    if (error is not null)
                    {
                        return $"invalid value {GoQuote.Quote(text)} for {path} ({node.Position}): {error}";
                    }
                }
                else
                {
                    number = config.GetLong(path);
                }

                break;
        }

        if (number < spec.Min || number > spec.Max)
        {
            return $"invalid value {GoQuote.Quote(text)} for {path} ({node.Position}): {GoValueSyntax.RangeError}";
        }

        value = number;
        return null;
    }
}
