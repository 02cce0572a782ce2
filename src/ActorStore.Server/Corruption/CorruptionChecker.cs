using ActorStore.Server.Membership;
using ActorStore.Server.Peers;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server.Corruption;

/// <summary>
/// etcd 3.4's corruption checks on a member: the initial one (before serving, a member compares its hash with its
/// peers' and refuses to start on a mismatch) and the leader's periodic one (a mismatch raises CORRUPT through the
/// log for member 0, as etcd does not know which member is the corrupted one).
/// </summary>
internal sealed class CorruptionChecker(EtcdMember member, PeerIdentity self, PeerDirectory peers, MemberOptions options, ILogger logger)
{
    private string LocalId => MemberIdentity.FormatId(member.Identity.MemberId);

    public async Task CheckInitialAsync(CancellationToken ct)
    {
        logger.LogInformation("starting initial corruption check {local-member-id} {timeout}", LocalId, options.RequestTimeout);
        var local = await CaughtUpHashAsync(ct).ConfigureAwait(false);
        var answers = await AskPeersAsync(local.Revision, ct).ConfigureAwait(false);
        if (HashComparison.InitialMismatches(member.Identity.MemberId, local, answers, logger) > 0)
        {
            throw new InvalidOperationException($"{LocalId} found data inconsistency with peers");
        }
        logger.LogInformation("initial corruption checking passed; no corruption {local-member-id}", LocalId);
    }

    /// <summary>One round of the leader's check: true when it raised CORRUPT.</summary>
    public async Task<bool> CheckPeriodicAsync(CancellationToken ct)
    {
        var first = await LocalHashAsync(serializable: true, ct).ConfigureAwait(false);
        var answers = await AskPeersAsync(first.Revision, ct).ConfigureAwait(false);
        // Read again once everything committed before the peers answered is applied here, as etcd's linearizable read.
        var second = await LocalHashAsync(serializable: false, ct).ConfigureAwait(false);
        if (!HashComparison.PeriodicMismatch(first, second, answers, logger))
        {
            return false;
        }
        var raise = new AlarmRequest { Action = AlarmRequest.Types.AlarmAction.Activate, MemberID = 0, Alarm = AlarmType.Corrupt };
        await member.ProposeAsync<AlarmResponse>(new InternalRaftRequest { Alarm = raise }, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A restarted member has re-applied only what its journal knew was committed (stored lazily); etcd's backend holds
    /// all it applied. A linearizable read first catches it up with the leader; without a leader, what it has.
    /// </summary>
    private async Task<LocalHash> CaughtUpHashAsync(CancellationToken ct)
    {
        try
        {
            return await LocalHashAsync(serializable: false, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Protocol.Errors.RpcException or TimeoutException)
        {
            return await LocalHashAsync(serializable: true, ct).ConfigureAwait(false);
        }
    }

    private async Task<LocalHash> LocalHashAsync(bool serializable, CancellationToken ct)
    {
        var hashed = await member.ReadAsync<HashKVResponse>(view => view.Kv.HashKV(new HashKVRequest()), serializable, ct).ConfigureAwait(false);
        return new LocalHash(hashed.Hash, hashed.Header.Revision, hashed.CompactRevision);
    }

    private Task<IReadOnlyList<PeerHashKV>> AskPeersAsync(long revision, CancellationToken ct) =>
        PeerHashKVs.AskAsync(member.System, self, peers.Addresses, revision, options.RequestTimeout, logger, ct);
}
