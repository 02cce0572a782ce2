using System.Text.Json;

namespace ActorStore.EndToEnd.Cluster;

/// <summary>One row of `etcdctl endpoint status -w json`.</summary>
public sealed record EndpointStatus(
    string Endpoint, ulong MemberId, ulong Leader, long RaftTerm, long RaftIndex, long RaftAppliedIndex,
    long Revision, bool IsLearner)
{
    public bool IsLeader => Leader != 0 && Leader == MemberId;

    public static IReadOnlyList<EndpointStatus> ParseAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        var rows = new List<EndpointStatus>();
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var status = row.GetProperty("Status");
            var header = status.GetProperty("header");
            rows.Add(new EndpointStatus(
                row.GetProperty("Endpoint").GetString()!,
                header.GetProperty("member_id").GetUInt64(),
                Number(status, "leader"),
                (long)Number(status, "raftTerm"),
                (long)Number(status, "raftIndex"),
                (long)Number(status, "raftAppliedIndex"),
                (long)Number(header, "revision"),
                status.TryGetProperty("isLearner", out var learner) && learner.GetBoolean()));
        }
        return rows;
    }

    // etcdctl leaves zero values out of its JSON.
    private static ulong Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetUInt64() : 0;
}
