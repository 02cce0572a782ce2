using System.Text.RegularExpressions;

namespace ActorStore.EndToEnd.Lease;

/// <summary>
/// The remaining TTL of a lease depends on when it is asked: in outputs it becomes "~" when it is plausible (at most
/// the granted TTL, at least <see cref="Slack"/> seconds less), so two servers compare equal; implausible values stay.
/// </summary>
public static partial class RemainingTtl
{
    public const int Slack = 3;

    public static string Normalize(string output)
    {
        output = Text().Replace(output, match =>
            Plausible(match.Groups[1].Value, match.Groups[2].Value) ? $"granted with TTL({match.Groups[1].Value}s), remaining(~s)" : match.Value);
        output = Json().Replace(output, match =>
            Plausible(match.Groups[2].Value, match.Groups[1].Value) ? $"\"ttl\":~,\"granted-ttl\":{match.Groups[2].Value}" : match.Value);
        return output;
    }

    private static bool Plausible(string granted, string remaining)
    {
        var (g, r) = (long.Parse(granted), long.Parse(remaining));
        return r <= g && r >= g - Slack;
    }

    [GeneratedRegex(@"granted with TTL\((\d+)s\), remaining\((\d+)s\)")]
    private static partial Regex Text();

    [GeneratedRegex("\"ttl\":(\\d+),\"granted-ttl\":(\\d+)")]
    private static partial Regex Json();
}
