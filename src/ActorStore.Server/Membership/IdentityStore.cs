using System.Text;
using ActorStore.Persistence;
using ActorStore.Server.Log;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Membership;

/// <summary>
/// Reads a member's identity from its data dir, or bootstraps it from the initial-cluster flags the first time.
/// As in etcd, a member that has been bootstrapped ignores the initial flags afterwards.
/// </summary>
public static class IdentityStore
{
    private const string NameKey = "name";
    private const string MemberIdKey = "member-id";
    private const string ClusterIdKey = "cluster-id";
    private const string PeerUrlsKey = "peer-urls";

    /// <summary>The identity a member recorded when it was bootstrapped or joined; null for a member that never ran.</summary>
    public static async Task<MemberIdentity?> LoadAsync(IJournal journal, MemberOptions options, CancellationToken ct)
    {
        var state = await journal.ReadStateAsync(LogNames.MemberPersistenceId, ct).ConfigureAwait(false);
        if (state.Count == 0)
        {
            return null;
        }
        return new MemberIdentity(
            Text(state, NameKey),
            ulong.Parse(Text(state, MemberIdKey), System.Globalization.NumberStyles.HexNumber),
            ulong.Parse(Text(state, ClusterIdKey), System.Globalization.NumberStyles.HexNumber),
            Text(state, PeerUrlsKey).Split(',', StringSplitOptions.RemoveEmptyEntries),
            options.AdvertiseClientUrls);
    }

    public static Task SaveAsync(IJournal journal, MemberIdentity identity, CancellationToken ct) =>
        journal.WriteAsync(
            [new AtomicWrite(LogNames.MemberPersistenceId, [], new Dictionary<string, byte[]>
            {
                [NameKey] = Encoding.UTF8.GetBytes(identity.Name),
                [MemberIdKey] = Encoding.UTF8.GetBytes(MemberIdentity.FormatId(identity.MemberId)),
                [ClusterIdKey] = Encoding.UTF8.GetBytes(MemberIdentity.FormatId(identity.ClusterId)),
                [PeerUrlsKey] = Encoding.UTF8.GetBytes(string.Join(',', identity.PeerUrls)),
            })],
            ct);

    /// <summary>Derives the ids from the flags; throws <see cref="InvalidOperationException"/> on etcd's bootstrap errors.</summary>
    public static MemberIdentity Bootstrap(MemberOptions options)
    {
        if (!options.InitialCluster.TryGetValue(options.Name, out var localPeerUrls))
        {
            throw new InvalidOperationException(
                $"couldn't find local name \"{options.Name}\" in the initial cluster configuration");
        }
        var advertised = options.InitialAdvertisePeerUrls.OrderBy(u => u, StringComparer.Ordinal);
        if (!advertised.SequenceEqual(localPeerUrls.OrderBy(u => u, StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"--initial-cluster has {options.Name}={string.Join(",", localPeerUrls)} but missing from --initial-advertise-peer-urls={string.Join(",", options.InitialAdvertisePeerUrls)}");
        }
        var memberIds = options.InitialCluster.Values
            .Select(urls => MemberIdentity.ComputeMemberId(urls, options.InitialClusterToken))
            .ToArray();
        var memberId = MemberIdentity.ComputeMemberId(localPeerUrls, options.InitialClusterToken);
        return new MemberIdentity(
            options.Name,
            memberId,
            MemberIdentity.ComputeClusterId(memberIds),
            localPeerUrls,
            options.AdvertiseClientUrls);
    }

    /// <summary>The founding members as --initial-cluster names them; client URLs are known for the local member only.</summary>
    public static IReadOnlyList<ClusterMember> InitialMembers(MemberOptions options, MemberIdentity local) =>
        options.InitialCluster
            .Select(member =>
            {
                var id = MemberIdentity.ComputeMemberId(member.Value, options.InitialClusterToken);
                return new ClusterMember(
                    id,
                    member.Key,
                    member.Value,
                    id == local.MemberId ? local.ClientUrls : [],
                    IsLearner: false);
            })
            .ToArray();

    private static string Text(IReadOnlyDictionary<string, byte[]> state, string key) =>
        state.TryGetValue(key, out var bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new InvalidDataException($"member identity in the data dir lacks \"{key}\"");
}
