namespace ActorStore.Configuration;

/// <summary>The value of every setting while the layers are applied, and which layer set it last.</summary>
internal sealed class SettingValues
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SettingSource> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _defaults = new(StringComparer.Ordinal);

    public void SetDefault(FlagSpec spec, object? value)
    {
        _defaults[spec.Name] = value;
        _values[spec.Name] = value;
        _sources[spec.Name] = SettingSource.Default;
    }

    public void Set(FlagSpec spec, object? value, SettingSource source)
    {
        _values[spec.Name] = value;
        _sources[spec.Name] = source;
    }

    public object? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public object? DefaultOf(string name) => _defaults.TryGetValue(name, out var value) ? value : null;

    public SettingSource SourceOf(string name) => _sources.TryGetValue(name, out var source) ? source : SettingSource.Default;

    /// <summary>Given by the user (command line, environment or configuration file) rather than by reference.conf.</summary>
    public bool IsExplicit(string name) => SourceOf(name) != SettingSource.Default;

    public string String(string name) => (string?)this[name] ?? "";

    public bool Bool(string name) => this[name] is true;

    public long Long(string name) => this[name] is long value ? value : 0;

    public int Int(string name) => checked((int)Long(name));

    public TimeSpan Duration(string name) => this[name] is TimeSpan value ? value : TimeSpan.Zero;

    public IReadOnlyList<string> List(string name) => this[name] as IReadOnlyList<string> ?? [];

    public void Replace(string name, object? value) => _values[name] = value;

    /// <summary>True when the current value differs from reference.conf's.</summary>
    public bool DiffersFromDefault(string name)
    {
        var current = this[name];
        var original = DefaultOf(name);
        if (current is IEnumerable<string> left && original is IEnumerable<string> right)
        {
            return !left.SequenceEqual(right, StringComparer.Ordinal);
        }

        return !Equals(current, original);
    }
}
