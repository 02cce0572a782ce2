namespace ActorStore.Configuration;

/// <summary>What the command line said, in the order it said it.</summary>
internal sealed record CommandLine(
    IReadOnlyList<(FlagSpec Spec, object? Value)> Assignments,
    bool HelpRequested,
    string? Error,
    IReadOnlyList<string> Positional,
    IReadOnlyList<string> IgnoredFlags)
{
    public bool IsSet(string name) => Assignments.Any(a => a.Spec.Name == name);

    public object? LastValue(string name) => Assignments.LastOrDefault(a => a.Spec.Name == name).Value;
}
