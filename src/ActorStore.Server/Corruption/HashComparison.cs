using ActorStore.Server.Membership;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Corruption;

/// <summary>
/// etcd 3.4's rules for telling corruption from lag when hashes are compared, with its log lines: at start a member
/// compares its own hash with its peers'; the leader's periodic check also compares revisions and compactions.
/// </summary>
public static class HashComparison
{
    /// <summary>The initial check: the peers whose hash differs at the same compaction (lagging peers only warn).</summary>
    public static int InitialMismatches(ulong localId, LocalHash local, IReadOnlyList<PeerHashKV> peers, ILogger logger)
    {
        var mismatches = 0;
        foreach (var peer in peers)
        {
            if (peer.Response is not { } remote)
            {
                continue;
            }
            if (remote.Hash == local.Hash)
            {
                continue;
            }
            var sameCompaction = remote.CompactRevision == local.CompactRevision;
            logger.LogWarning(
                (sameCompaction ? "found different hash values from remote peer" : "found different compact revision values from remote peer")
                + " {local-member-id} {local-member-revision} {local-member-compact-revision} {local-member-hash} {remote-peer-id} {remote-peer-endpoints} {remote-peer-revision} {remote-peer-compact-revision} {remote-peer-hash}",
                MemberIdentity.FormatId(localId), local.Revision, local.CompactRevision, local.Hash, MemberIdentity.FormatId(peer.MemberId),
                peer.Address, remote.Header.Revision, remote.CompactRevision, remote.Hash);
            if (sameCompaction)
            {
                mismatches++;
            }
        }
        return mismatches;
    }

    /// <summary>
    /// The leader's periodic check, given its hash before (<paramref name="first"/>) and after (<paramref name="second"/>)
    /// asking the peers: true when the data of some member differs from the leader's.
    /// </summary>
    public static bool PeriodicMismatch(LocalHash first, LocalHash second, IReadOnlyList<PeerHashKV> peers, ILogger logger)
    {
        var mismatch = false;
        if (second.Hash != first.Hash && second.Revision == first.Revision && second.CompactRevision == first.CompactRevision)
        {
            logger.LogWarning("found hash mismatch {revision-1} {compact-revision-1} {hash-1} {revision-2} {compact-revision-2} {hash-2}",
                first.Revision, first.CompactRevision, first.Hash, second.Revision, second.CompactRevision, second.Hash);
            mismatch = true;
        }
        var checkedCount = 0;
        foreach (var peer in peers)
        {
            if (peer.Response is not { } remote)
            {
                continue;
            }
            checkedCount++;
            var peerId = MemberIdentity.FormatId(peer.MemberId);
            if (remote.Header.Revision > second.Revision)
            {
                logger.LogWarning("revision from follower must be less than or equal to leader's {leader-revision} {follower-revision} {follower-peer-id}",
                    second.Revision, remote.Header.Revision, peerId);
                mismatch = true;
            }
            if (remote.CompactRevision > second.CompactRevision)
            {
                logger.LogWarning("compact revision from follower must be less than or equal to leader's {leader-compact-revision} {follower-compact-revision} {follower-peer-id}",
                    second.CompactRevision, remote.CompactRevision, peerId);
                mismatch = true;
            }
            if (remote.CompactRevision == first.CompactRevision && remote.Hash != first.Hash)
            {
                logger.LogWarning("same compact revision then hashes must match {leader-compact-revision} {leader-hash} {follower-compact-revision} {follower-hash} {follower-peer-id}",
                    second.CompactRevision, first.Hash, remote.CompactRevision, remote.Hash, peerId);
                mismatch = true;
            }
        }
        logger.LogInformation("finished peer corruption check {number-of-peers-checked}", checkedCount);
        return mismatch;
    }
}
