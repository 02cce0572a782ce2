using ActorStore.Mvcc;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Backup;
using ActorStore.Server.Lease;
using ActorStore.Server.Membership;
using ActorStore.Server.Peers;
using Akka.Actor;
using Etcdserverpb;
using Peerpb;
using Raftpb;

namespace ActorStore.Server;

/// <summary>The first start of a founding member: refusing a second bootstrap, and the founders' common first snapshot.</summary>
internal static class MemberBootstrap
{
    /// <summary>
    /// A member whose data dir was lost must not bootstrap again: it would forget votes it gave. Like etcd, a member
    /// starting a new cluster from an empty data dir asks its peers first, and refuses when they already list it as
    /// started (published client URLs). Peers that do not answer (a cluster starting together) do not hold it up.
    /// </summary>
    public static async Task RefuseIfAlreadyBootstrappedAsync(
        ActorSystem system, PeerIdentity peerIdentity, MemberOptions options, MemberIdentity identity, CancellationToken ct)
    {
        var peers = options.InitialCluster
            .Where(member => member.Key != options.Name)
            .Select(member => new Uri(member.Value[0]).Authority)
            .ToArray();
        var answers = await Task.WhenAll(peers.Select(async address =>
        {
            try
            {
                var question = new PeerEnvelope
                {
                    ClusterId = peerIdentity.ClusterId,
                    MemberId = peerIdentity.MemberId,
                    MemberList = new MemberListRequest(),
                };
                return await PeerRefs.Gate(system, address)
                    .Ask<MemberListResponse>(question, TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return null;
            }
        })).ConfigureAwait(false);
        if (answers.Any(list => list?.Members.Any(m => m.ID == identity.MemberId && m.ClientURLs.Count > 0) == true))
        {
            throw new InvalidOperationException($"member {MemberIdentity.FormatId(identity.MemberId)} has already been bootstrapped");
        }
    }

    /// <summary>
    /// A founding member of a new cluster starts from a snapshot at index 1, term 1 holding the initial member list and
    /// an empty keyspace, or the keyspace and leases of a restored snapshot (<see cref="RestoreSeed"/>). Every founder
    /// writes the same one, so they agree from the first index on.
    /// </summary>
    public static async Task<MemoryRaftLogStorage> BootstrapAsync(
        RaftJournal journal, MemberOptions options, MemberIdentity identity, CancellationToken ct)
    {
        var membership = new ClusterMembership(identity.ClusterId);
        foreach (var member in IdentityStore.InitialMembers(options, identity))
        {
            membership.Add(member with { ClientUrls = [] });
        }
        var confState = new ConfState();
        confState.Voters.AddRange(membership.VoterIds);
        var (store, leases, auth, restored) = RestoreSeed.Load(options.DataDir, membership.Members.Select(static member => member.Id));
        var snapshot = new Snapshot
        {
            Data = StateMachineSnapshot.Write(store, membership, leases, auth),
            Metadata = new Raftpb.SnapshotMetadata { Index = 1, Term = 1, ConfState = confState },
        };
        var hardState = new HardState { Term = 1, Commit = 1 };
        await journal.PersistAsync(snapshot, [], hardState, ct).ConfigureAwait(false);
        if (restored)
        {
            RestoreSeed.Consumed(options.DataDir);
        }

        var storage = new MemoryRaftLogStorage();
        storage.ApplySnapshot(snapshot);
        storage.SetHardState(hardState);
        return storage;
    }
}
