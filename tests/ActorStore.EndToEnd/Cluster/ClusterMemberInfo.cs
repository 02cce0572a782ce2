using System.Text.Json;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>One member of `etcdctl member list -w json`; a member added but not yet started has no name.</summary>
public sealed record ClusterMemberInfo(
    ulong Id, string Name, IReadOnlyList<string> PeerUrls, IReadOnlyList<string> ClientUrls, bool IsLearner)
{
    public string HexId => Id.ToString("x");

    public static IReadOnlyList<ClusterMemberInfo> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        var members = new List<ClusterMemberInfo>();
        if (!document.RootElement.TryGetProperty("members", out var list))
        {
            return members;
        }
        foreach (var member in list.EnumerateArray())
        {
            members.Add(new ClusterMemberInfo(
                member.GetProperty("ID").GetUInt64(),
                member.TryGetProperty("name", out var name) ? name.GetString()! : "",
                Strings(member, "peerURLs"),
                Strings(member, "clientURLs"),
                member.TryGetProperty("isLearner", out var learner) && learner.GetBoolean()));
        }
        return members;
    }

    private static IReadOnlyList<string> Strings(JsonElement member, string name) =>
        member.TryGetProperty(name, out var urls) ? urls.EnumerateArray().Select(url => url.GetString()!).ToArray() : [];
}
