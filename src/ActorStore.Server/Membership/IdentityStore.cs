namespace ActorStore.Server.Membership;

/// <summary>
/// Derives a bootstrapping member's identity and the founding members from the initial-cluster flags; what a member
/// recorded is kept by <see cref="MemberIdentityJournal"/>.
/// </summary>
public static class IdentityStore
{
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
}
