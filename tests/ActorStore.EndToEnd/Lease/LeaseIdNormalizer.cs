using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorStore.EndToEnd.Lease;

/// <summary>
/// Lease ids differ between servers: one normalizer per server names each id it meets "lease#1", "lease#2", ... in
/// order of first appearance, whether printed in decimal in JSON and fields output ("ID", "id", "lease", "Lease") or in
/// hex (`lease 694da1fe6ed8a12f granted`, lock keys). Hex ids print without leading zeros: etcd's ids start with two
/// bytes of the member id, which may be zero, so 12 to 16 digits are accepted. Decimal ids are named first so that
/// a decimal id is never read as hex. Keep one instance per server for a whole test so names stay stable.
/// </summary>
public sealed partial class LeaseIdNormalizer
{
    private readonly Dictionary<ulong, int> _names = [];

    public string Normalize(string output)
    {
        output = DecimalId().Replace(output, match =>
        {
            var number = match.Groups[2];
            var id = ulong.Parse(number.Value, CultureInfo.InvariantCulture);
            return id == 0 ? match.Value : match.Value[..(number.Index - match.Index)] + Name(id);
        });
        return HexId().Replace(output, match => Name(ulong.Parse(match.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
    }

    private string Name(ulong id)
    {
        if (!_names.TryGetValue(id, out var number))
        {
            _names[id] = number = _names.Count + 1;
        }
        return "lease#" + number;
    }

    [GeneratedRegex(@"(?<![0-9a-zA-Z])[0-9a-f]{12,16}(?![0-9a-zA-Z])")]
    private static partial Regex HexId();

    [GeneratedRegex("\"(ID|id|lease|Lease)\" ?: ?(\\d+)")]
    private static partial Regex DecimalId();
}
