using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ActorStore.Server.Membership;

/// <summary>
/// Who a member is and which cluster it belongs to. The ids are derived exactly as etcd derives them, so a
/// member started with the same flags as an etcd member gets the same member id and cluster id.
/// </summary>
public sealed record MemberIdentity(
    string Name,
    ulong MemberId,
    ulong ClusterId,
    IReadOnlyList<string> PeerUrls,
    IReadOnlyList<string> ClientUrls)
{
    /// <summary>SHA-1 over the sorted peer URLs and the cluster token; the id is the first eight bytes, big-endian.</summary>
    public static ulong ComputeMemberId(IEnumerable<string> peerUrls, string clusterToken) =>
        ComputeMemberId(peerUrls, clusterToken, addedAt: null);

    /// <summary>
    /// The id of a member added at run time: etcd mixes in the time (unix seconds) so that re-adding the same peer URLs
    /// gives a new id, since removed ids are never reused.
    /// </summary>
    public static ulong ComputeMemberId(IEnumerable<string> peerUrls, string clusterToken, DateTimeOffset? addedAt)
    {
        var sorted = peerUrls.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var text = string.Concat(sorted) + clusterToken + (addedAt is { } at ? at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>SHA-1 over the sorted member ids, each eight bytes big-endian; the first eight bytes of it.</summary>
    public static ulong ComputeClusterId(IEnumerable<ulong> memberIds)
    {
        var ids = memberIds.ToArray();
        Array.Sort(ids);
        var bytes = new byte[8 * ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8 * i), ids[i]);
        }
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(bytes, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    /// <summary>etcd prints ids as lower-case hex without leading zeros.</summary>
    public static string FormatId(ulong id) => id.ToString("x");
}
