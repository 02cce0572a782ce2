using System.Collections;
using System.Globalization;

namespace ActorStore.Actors.Hocon;

/// <summary>
/// An immutable HOCON configuration: parse text or a file, layer configurations with <see cref="WithFallback"/>,
/// resolve substitutions with <see cref="Resolve"/>, then read settings with the typed getters.
/// Getters take path expressions ("actorstore.raft.heartbeat-interval") and throw <see cref="HoconException"/>
/// naming the path and where the value was written when a setting is missing or has the wrong type.
/// </summary>
public sealed class HoconConfig
{
    private HoconConfig(HoconObject root) => Root = root;

    public static HoconConfig Empty { get; } = new(HoconObject.Empty);

    public HoconObject Root { get; }

    public bool IsResolved => Root.IsResolved;

    /// <summary>Parses and resolves; <c>${?VAR}</c> falls back to <paramref name="environment"/> (the process environment when null).</summary>
    public static HoconConfig Parse(string text, string? origin = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        ParseUnresolved(text, origin).Resolve(environment);

    /// <summary>Parses without resolving, so that substitutions may refer to settings of a fallback added later.</summary>
    public static HoconConfig ParseUnresolved(string text, string? origin = null, string? includeDirectory = null) =>
        new(HoconParser.Parse(text, origin, includeDirectory));

    /// <summary>Parses a file without resolving it; <c>include "x.conf"</c> is looked up next to the file.</summary>
    public static HoconConfig ParseFileUnresolved(string path)
    {
        var text = File.ReadAllText(path);
        return ParseUnresolved(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static HoconConfig FromObject(HoconObject root) => new(root);

    /// <summary>Settings of this configuration win; settings only in <paramref name="fallback"/> fill the gaps; objects merge.</summary>
    public HoconConfig WithFallback(HoconConfig fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new HoconConfig((HoconObject)HoconResolver.MergeUnresolved(Root, fallback.Root));
    }

    public HoconConfig Resolve(IReadOnlyDictionary<string, string?>? environment = null)
    {
        if (IsResolved)
        {
            return this;
        }

        return new HoconConfig(HoconResolver.Resolve(Root, environment ?? ProcessEnvironment()));
    }

    public bool HasPath(string path) => TryGetValue(path, out var value) && value is not HoconScalar { Kind: HoconScalarKind.Null };

    public bool TryGetValue(string path, out HoconValue value)
    {
        value = null!;
        HoconValue current = Root;
        foreach (var segment in HoconPath.Parse(path))
        {
            if (current is not HoconObject obj || !obj.TryGetField(segment, out var child))
            {
                return false;
            }

            current = child;
        }

        value = current;
        return true;
    }

    public HoconValue GetValue(string path)
    {
        if (!TryGetValue(path, out var value))
        {
            throw new HoconException($"no configuration setting found for '{path}'");
        }

        if (!value.IsResolved)
        {
            throw new HoconException($"{value.Position}: '{path}' still holds substitutions; call Resolve() before reading it");
        }

        return value;
    }

    public string GetString(string path)
    {
        var scalar = GetScalar(path, "string");
        return scalar.Text;
    }

    public string GetString(string path, string defaultValue) => HasPath(path) ? GetString(path) : defaultValue;

    public bool GetBool(string path)
    {
        var scalar = GetScalar(path, "boolean");
        return scalar.Text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw WrongType(path, scalar, "boolean (true/false, yes/no, on/off)"),
        };
    }

    public bool GetBool(string path, bool defaultValue) => HasPath(path) ? GetBool(path) : defaultValue;

    public int GetInt(string path)
    {
        var value = GetLong(path);
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new HoconException($"{GetValue(path).Position}: '{path}' = {value} does not fit in a 32-bit integer");
        }

        return (int)value;
    }

    public int GetInt(string path, int defaultValue) => HasPath(path) ? GetInt(path) : defaultValue;

    public long GetLong(string path)
    {
        var scalar = GetScalar(path, "number");
        if (long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        if (double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == Math.Floor(number) && number is >= long.MinValue and <= long.MaxValue)
        {
            return (long)number;
        }

        throw WrongType(path, scalar, "whole number");
    }

    public long GetLong(string path, long defaultValue) => HasPath(path) ? GetLong(path) : defaultValue;

    public double GetDouble(string path)
    {
        var scalar = GetScalar(path, "number");
        return double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw WrongType(path, scalar, "number");
    }

    /// <summary>"100ms", "5 s", "2 minutes"; a bare number counts milliseconds.</summary>
    public TimeSpan GetTimeSpan(string path)
    {
        var scalar = GetScalar(path, "duration");
        return HoconUnits.TryParseDuration(scalar.Text, out var duration)
            ? duration
            : throw WrongType(path, scalar, "duration such as 100ms, 5s, 2m, 1h");
    }

    public TimeSpan GetTimeSpan(string path, TimeSpan defaultValue) => HasPath(path) ? GetTimeSpan(path) : defaultValue;

    /// <summary>"1.5MiB" (powers of 1024), "64kB" (powers of 1000), or a bare number of bytes.</summary>
    public long GetByteSize(string path)
    {
        var scalar = GetScalar(path, "size in bytes");
        return HoconUnits.TryParseByteSize(scalar.Text, out var bytes)
            ? bytes
            : throw WrongType(path, scalar, "size in bytes such as 1048576, 512KiB, 1.5MiB, 2GB");
    }

    public IReadOnlyList<string> GetStringList(string path)
    {
        var value = GetValue(path);
        if (value is not HoconArray array)
        {
            throw WrongType(path, value, "list");
        }

        var result = new List<string>(array.Items.Count);
        foreach (var item in array.Items)
        {
            if (item is not HoconScalar { Kind: not HoconScalarKind.Null } scalar)
            {
                throw new HoconException($"{item.Position}: '{path}' must be a list of strings, but holds a {item.TypeName}");
            }

            result.Add(scalar.Text);
        }

        return result;
    }

    /// <summary>The object at <paramref name="path"/> as a configuration of its own.</summary>
    public HoconConfig GetConfig(string path)
    {
        var value = GetValue(path);
        return value is HoconObject obj ? new HoconConfig(obj) : throw WrongType(path, value, "object");
    }

    public override string ToString() => $"HoconConfig({Root.Fields.Count} top-level settings)";

    private HoconScalar GetScalar(string path, string expected)
    {
        var value = GetValue(path);
        return value switch
        {
            HoconScalar { Kind: HoconScalarKind.Null } => throw new HoconException($"{value.Position}: '{path}' is null, expected a {expected}"),
            HoconScalar scalar => scalar,
            _ => throw WrongType(path, value, expected),
        };
    }

    private static HoconException WrongType(string path, HoconValue value, string expected)
    {
        var shown = value is HoconScalar scalar ? $" \"{scalar.Text}\"" : "";
        return new HoconException($"{value.Position}: '{path}' has the {value.TypeName} value{shown}, expected a {expected}");
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }
}
