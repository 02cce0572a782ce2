using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.V2;

/// <summary>
/// A request's parameters as Go's ParseForm gathers them: a form-encoded body of a POST, PUT or PATCH first, then the
/// query string; the first value of a name counts, and whether a name is present at all matters to some fields.
/// </summary>
internal sealed class V2Form
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static async Task<V2Form> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var form = new V2Form();
        var method = request.Method;
        if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)) && request.HasFormContentType)
        {
            foreach (var (name, values) in await request.ReadFormAsync(ct).ConfigureAwait(false))
            {
                form.Add(name, values);
            }
        }
        foreach (var (name, values) in request.Query)
        {
            form.Add(name, values);
        }
        return form;
    }

    private void Add(string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }
        list.AddRange(values.Select(value => value ?? ""));
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Go's FormValue: the first value, or empty.</summary>
    public string Value(string name) => _values.TryGetValue(name, out var list) && list.Count > 0 ? list[0] : "";

    /// <summary>Go's strconv.ParseUint in base 10 when present; 0 when absent; null when not a number.</summary>
    public ulong? Unsigned(string name)
    {
        if (!Has(name))
        {
            return 0;
        }
        var text = Value(name);
        return text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>Go's strconv.ParseBool when present; false when absent; null when not a boolean.</summary>
    public bool? Boolean(string name)
    {
        if (!Has(name))
        {
            return false;
        }
        return Value(name) switch
        {
            "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
            "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
            _ => null,
        };
    }
}
