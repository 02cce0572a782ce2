namespace ConfigWatcher;

/// <summary>A setting got a value (or lost it: <paramref name="Value"/> null) at <paramref name="Revision"/>.</summary>
public sealed record SettingChanged(string Name, string? Value, long Revision);
