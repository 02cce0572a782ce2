using ActorStore.Protocol.Text;
namespace ActorStore.Configuration;

/// <summary>
/// Turns a setting's text into its typed value (string, bool, long, TimeSpan, string list). Errors are the texts
/// etcd's flag values give ("parse error", "value out of range", "invalid value", URL errors), which callers wrap
/// with the flag or variable name.
/// </summary>
internal static class FlagValueParser
{
    public static string? TryParse(FlagSpec spec, string text, out object? value)
    {
        value = null;
        switch (spec.Kind)
        {
            case FlagKind.String:
                value = text;
                return null;
            case FlagKind.Bool:
                if (GoValueSyntax.TryParseBool(text, out var flag))
                {
                    value = flag;
                    return null;
                }

                return GoValueSyntax.ParseError;
            case FlagKind.Integer:
            {
                var error = GoValueSyntax.TryParseInteger(text, signed: spec.Min < 0, spec.Min, spec.Max, out var number);
                value = number;
                return error;
            }

            case FlagKind.UInt32:
            {
                var error = GoValueSyntax.TryParseInteger(text, signed: false, 0, uint.MaxValue, out var number);
                value = number;
                return error switch
                {
                    null => null,
                    GoValueSyntax.RangeError => $"strconv.ParseUint: parsing {GoQuote.Quote(text)}: value out of range",
                    _ => $"strconv.ParseUint: parsing {GoQuote.Quote(text)}: invalid syntax",
                };
            }

            case FlagKind.Duration:
                if (GoDuration.TryParse(text, out var duration))
                {
                    value = duration;
                    return null;
                }

                return GoValueSyntax.ParseError;
            case FlagKind.Urls:
            {
                if (spec.UrlExceptions.Contains(text))
                {
                    value = new List<string> { text };
                    return null;
                }

                var error = EtcdUrls.TryParseList(text, out var urls);
                value = urls;
                return error;
            }

            case FlagKind.UniqueStrings:
                value = text.Split(',').Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return null;
            case FlagKind.Strings:
                value = text.Split(',').ToList();
                return null;
            case FlagKind.Choice:
                if (spec.Choices.Contains(text))
                {
                    value = text;
                    return null;
                }

                return "invalid value";
            case FlagKind.Ignored:
                return null;
            default:
                throw new InvalidOperationException($"unknown flag kind {spec.Kind}");
        }
    }

    /// <summary>The text a value shows in help and messages ("100ms" for durations, comma lists).</summary>
    public static string Render(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        long number => GoValueSyntax.Format(number),
        TimeSpan duration => GoDuration.Format(duration),
        IEnumerable<string> items => string.Join(',', items),
        _ => value.ToString() ?? "",
    };
}
