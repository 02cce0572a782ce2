using System.Text.RegularExpressions;

namespace ActorStore.EndToEnd.Lease;

/// <summary>
/// etcd lists a lease's attached keys in no particular order (it walks a hash map), in `timetolive --keys` text and
/// JSON alike: they are sorted before outputs are compared.
/// </summary>
public static partial class AttachedKeys
{
    public static string Sort(string output)
    {
        output = Text().Replace(output, match => $"attached keys([{string.Join(' ', match.Groups[1].Value.Split(' ').Order(StringComparer.Ordinal))}])");
        output = Json().Replace(output, match => $"\"keys\":[{string.Join(',', match.Groups[1].Value.Split(',').Order(StringComparer.Ordinal))}]");
        return output;
    }

    [GeneratedRegex(@"attached keys\(\[([^\]]*)\]\)")]
    private static partial Regex Text();

    [GeneratedRegex("\"keys\":\\[([^\\]]*)\\]")]
    private static partial Regex Json();
}
