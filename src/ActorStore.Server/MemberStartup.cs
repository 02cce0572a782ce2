using ActorStore.Mvcc;
using ActorStore.Persistence;
using ActorStore.Raft;
using ActorStore.Raft.Shell;
using ActorStore.Server.Apply;
using ActorStore.Server.Auth;
using ActorStore.Server.Backup;
using ActorStore.Server.Compaction;
using ActorStore.Server.Corruption;
using ActorStore.Server.Lease;
using ActorStore.Server.Log;
using ActorStore.Server.Membership;
using ActorStore.Server.Metrics;
using ActorStore.Server.Peers;
using ActorStore.Server.V2;
using ActorStore.Server.Quota;
using ActorStore.Server.Watch;
using Akka.Actor;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace ActorStore.Server;

/// <summary>
/// Starting a member: its actor system, its identity and Raft log read from the data dir (or bootstrapped), its actors
/// wired together, and the committed entries re-applied before it serves.
/// </summary>
internal static class MemberStartup
{
    private const string RaftActorName = "raft";
    private const string LessorActorName = "lessor";

    public static async Task<EtcdMember> StartAsync(MemberOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("etcdserver");
        EtcdRestoredDataDir.TryAdopt(options, logger);
        SnapshotScratch.RemoveLeftovers(options.DataDir, logger);
        // The transport advertises the peer URL the member is known by. Before the identity is read that is the one
        // the flags give; in the rare case the recorded one differs, the actor system starts again with it.
        var flagPeerUrl = options.InitialCluster.TryGetValue(options.Name, out var initialUrls) && initialUrls.Count > 0
            ? initialUrls[0]
            : options.InitialAdvertisePeerUrls[0];
        MemberActorHost? host = null;
        try
        {
            var (startedHost, akka, transportSettings) = await StartHostAsync(options, flagPeerUrl, loggers, ct).ConfigureAwait(false);
            host = startedHost;
            var identityJournal = MemberIdentityJournal.Start(host.System);
            var stored = await ReadOrExplainAsync(identityJournal.LoadAsync(options, ct)).ConfigureAwait(false);
            if (stored is not null && !string.Equals(stored.PeerUrls[0], flagPeerUrl, StringComparison.Ordinal))
            {
                await host.DisposeAsync().ConfigureAwait(false);
                host = null;
                (startedHost, akka, transportSettings) = await StartHostAsync(options, stored.PeerUrls[0], loggers, ct).ConfigureAwait(false);
                host = startedHost;
                identityJournal = MemberIdentityJournal.Start(host.System);
                stored = await ReadOrExplainAsync(identityJournal.LoadAsync(options, ct)).ConfigureAwait(false);
            }

            // A member started with --initial-cluster-state existing and no data joins a running cluster, which tells
            // it its ids; every other member bootstraps (first start) or restarts from its data dir.
            var joining = stored is null && options.InitialClusterState == "existing";
            var identity = stored
                ?? (joining
                    ? new MemberIdentity(options.Name, 0, 0, options.InitialAdvertisePeerUrls, options.AdvertiseClientUrls)
                    : IdentityStore.Bootstrap(options));

            var system = host.System;
            var peerIdentity = new PeerIdentity(identity.ClusterId, identity.MemberId);
            var peerAddresses = new PeerAddressBook();
            var chunkBytes = MemberAkkaConfig.RaftChunkBytes(akka);
            var boundAddress = ((ExtendedActorSystem)system).Provider.DefaultAddress;
            // With port 0 asked for and none advertised, the address carries the port the transport bound.
            var peerPort = transportSettings.ListenPort != 0 ? transportSettings.ListenPort : boundAddress.Port ?? 0;
            var peerAddress = PeerRefs.HostAndPort(boundAddress);

            if (stored is null && !joining)
            {
                await MemberBootstrap.RefuseIfAlreadyBootstrappedAsync(system, peerIdentity, options, identity, ct).ConfigureAwait(false);
                await identityJournal.SaveAsync(identity, ct).ConfigureAwait(false);
                logger.LogInformation(
                    "starting member {local-member-id} in cluster {cluster-id}",
                    MemberIdentity.FormatId(identity.MemberId), MemberIdentity.FormatId(identity.ClusterId));
            }
            else if (stored is not null)
            {
                logger.LogInformation(
                    "restarting member {local-member-id} in cluster {cluster-id}",
                    MemberIdentity.FormatId(identity.MemberId), MemberIdentity.FormatId(identity.ClusterId));
            }

            var raftLogger = loggers.CreateLogger("raft");
            RaftJournal JournalFor(ulong memberId) => RaftJournal.Start(system, LogNames.LogPersistenceId(memberId), raftLogger, options.JournalRetention);
            var journal = joining ? null : JournalFor(identity.MemberId);
            var storage = journal is null ? new MemoryRaftLogStorage()
                : await ReadOrExplainAsync(journal.LoadAsync(ct)).ConfigureAwait(false)
                    ?? await MemberBootstrap.BootstrapAsync(journal, options, identity, ct).ConfigureAwait(false);
            var snapshot = storage.Snapshot();
            var (store, membership, leases, auth) = joining
                ? (new MvccStore(), new ClusterMembership(0), new LeaseTable(), new AuthStore())
                : StateMachineSnapshot.Read(snapshot.Data);
            var v2Store = joining ? new V2Store(V2Clock.NowNanos) : StateMachineSnapshot.ReadV2(snapshot.Data, V2Clock.NowNanos);
            var snapshotIndex = snapshot.Metadata?.Index ?? 0;
            var term = storage.HardState.Term;

            var stamp = new HeaderStamp(identity.ClusterId, identity.MemberId, term);
            var identityBoard = new MemberIdentityBoard(identity);
            var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var learner = new LearnerFlag { Value = membership.Find(identity.MemberId)?.IsLearner ?? false };
            var board = new RaftStateBoard();
            var metrics = new MemberMetrics();
            var v2ServerStats = new V2ServerStats(options.Name, identity.MemberId, TimeProvider.System);
            var v2LeaderStats = new V2LeaderStats(identity.MemberId);
            var revision = new RevisionBoard();
            var backendSize = new BackendSizeBoard();
            var peerDirectory = new PeerDirectory(ApplyActor.PeerAddresses(membership));
            var watchHub = system.ActorOf(ActorFactory.Props(() => new WatchHub(loggers.CreateLogger("watch"), metrics)), "watch-hub");
            var lessor = system.ActorOf(ActorFactory.Props(() => new LessorActor(
                board, options.HeartbeatInterval * options.ElectionTicks, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3),
                loggers.CreateLogger("lessor"))), LessorActorName);
            var authBoard = new AuthStateBoard();
            var authSessions = system.ActorOf(ActorFactory.Props(() => new AuthSessions(options.AuthTokenTtl)), "auth-sessions");
            // The apply actor is made below; the simple tokens wait on it through this reference.
            IActorRef apply = ActorRefs.Nobody;
            ITokenProvider tokens = options.Jwt is { } jwt
                ? new JwtTokens(jwt, TimeProvider.System)
                : new SimpleTokens(authSessions, options.RequestTimeout, (index, ct) => WaitAppliedAsync(apply, board, index, options.RequestTimeout, ct));
            apply = system.ActorOf(
                ActorFactory.Props(() => new ApplyActor(store, v2Store, membership, leases, auth, snapshotIndex, stamp, options, watchHub, lessor, revision, tokens, authBoard,
                    removedId => { if (removedId == identityBoard.Current.MemberId) removed.TrySetResult(); },
                    changed =>
                    {
                        learner.Value = changed.Find(identityBoard.Current.MemberId)?.IsLearner ?? false;
                        peerDirectory.Publish(ApplyActor.PeerAddresses(changed));
                    },
                    loggers.CreateLogger("apply"), metrics, backendSize)),
                "apply");
            var roundTripTo = new Dictionary<ulong, Prometheus.Histogram.Child>();
            var settings = new RaftMemberSettings
            {
                Core = new RaftConfig { Id = identity.MemberId, ElectionTick = options.ElectionTicks, HeartbeatTick = 1, Applied = snapshotIndex },
                TickInterval = options.HeartbeatInterval,
                SnapshotCatchUpEntries = (ulong)options.SnapshotCatchUpEntries,
                // Called by the Raft actor only: its own cache of label children, so a heartbeat allocates nothing.
                PeerRoundTrip = (peer, elapsed) =>
                {
                    if (!roundTripTo.TryGetValue(peer, out var child))
                    {
                        child = metrics.PeerRoundTrip.WithLabels(MemberIdentity.FormatId(peer));
                        roundTripTo[peer] = child;
                    }
                    child.Observe(elapsed.TotalSeconds);
                    v2LeaderStats.Succeeded(peer, elapsed);
                },
                AppendSent = (_, bytes) => v2ServerStats.AppendSent(bytes),
                AppendReceived = v2ServerStats.AppendReceived,
                BecameLeader = v2ServerStats.BecameLeader,
                PeerLinkFailed = v2LeaderStats.Failed,
                HeartbeatSentLate = () => metrics.HeartbeatSendFailures.Inc(),
                JournalWritten = (elapsed, entries) =>
                {
                    // One journal write is one transaction and one fsync: etcd's WAL fsync.
                    metrics.WalFsyncDuration.Observe(elapsed.TotalSeconds);
                    metrics.JournalBatchEntries.Observe(entries);
                },
            };
            var peers = ApplyActor.PeerAddresses(membership);
            IPeerChannel ChannelTo(ulong memberId, string address) =>
                new RemotePeerChannel(system, memberId, address, peerAddresses, peerIdentity, chunkBytes,
                    metrics.PeerSentBytes.WithLabels(MemberIdentity.FormatId(memberId)));
            Props MemberProps(ulong memberId, RaftJournal wal, MemoryRaftLogStorage log, IReadOnlyDictionary<ulong, string> known) =>
                ActorFactory.Props(() => new RaftMemberActor(
                    settings with { Core = settings.Core with { Id = memberId } }, log, wal, apply,
                    ChannelTo, known, board, raftLogger));
            var raft = joining
                ? system.ActorOf(ActorFactory.Props(() => new JoiningRaftActor(
                    (memberId, wal) => MemberProps(memberId, wal, new MemoryRaftLogStorage(), new Dictionary<ulong, string>()),
                    JournalFor, peerIdentity, identityJournal, options,
                    learned =>
                    {
                        apply.Tell(new IdentityLearned(learned.ClusterId, learned.MemberId));
                        identityBoard.Publish(learned);
                    },
                    raftLogger)), RaftActorName)
                : system.ActorOf(MemberProps(identity.MemberId, journal!, storage, peers), RaftActorName);
            // Peers' messages are let in once every actor they are for exists.
            system.ActorOf(ActorFactory.Props(() => new PeerGate(peerIdentity, peerAddresses, raft, apply, lessor, loggers.CreateLogger("rafthttp"), metrics)), PeerGate.Name);
            logger.LogInformation(
                "member {local-member-id} started from snapshot {snapshot-index} at term {term} (revision {revision}); peers listen on {peer-address}",
                MemberIdentity.FormatId(identity.MemberId), snapshotIndex, term, store.CurrentRevision, peerAddress);
            var raftStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(ActorFactory.Props(() => new RaftWatchdog(raft, raftStopped)), "raft-watchdog");
            // An actor system that ends on its own (not through DisposeAsync) takes the Raft member with it.
            _ = system.WhenTerminated.ContinueWith(_ => raftStopped.TrySetResult(), TaskScheduler.Default);
            var started = new EtcdMember(options, identityBoard, backendSize, host, peerIdentity, peerAddresses, peerPort, raft, apply, watchHub, lessor, peerDirectory, revision, board, logger, removed.Task, learner, raftStopped.Task, authBoard, tokens, metrics, v2ServerStats, v2LeaderStats);
            // Akka.NET programs open their sessions here (clientpb, over the peer transport).
            system.ActorOf(Clients.ClientEntry.Props(started, Clients.ClientCertificateProof.For(options), loggers.CreateLogger("clients")),
                ActorStore.Client.Wire.SessionProof.EntryActorName);
            if (options.AutoCompaction is { } compaction)
            {
                var memberId = identity.MemberId;
                system.ActorOf(ActorFactory.Props(() => new AutoCompactor(
                    AutoCompactionPolicy.Create(compaction),
                    () => board.Current.Leader == memberId && board.Current.Role == RaftRole.Leader,
                    () => revision.Current,
                    AutoCompactor.Through(started),
                    loggers.CreateLogger("compactor"))), "auto-compactor");
            }

            var corruption = new CorruptionChecker(started, peerIdentity, peerDirectory, options, logger);
            if (joining)
            {
                logger.LogInformation("waiting for the cluster to reach this member at {peer-address} (joining an existing cluster)", peerAddress);
            }
            else
            {
                await ReplayCommittedAsync(apply, storage.HardState.Commit, raftStopped.Task, ct).ConfigureAwait(false);
                // As etcd: only a member that ran before checks; a new one has nothing to compare yet.
                if (options.InitialCorruptCheck && stored is not null)
                {
                    await corruption.CheckInitialAsync(ct).ConfigureAwait(false);
                }
            }
            if (options.CorruptCheckTime > TimeSpan.Zero)
            {
                var memberId = identityBoard.Current.MemberId;
                system.ActorOf(ActorFactory.Props(() => new CorruptionMonitor(
                    memberId, options.CorruptCheckTime,
                    () => board.Current.Leader == identityBoard.Current.MemberId && board.Current.Role == RaftRole.Leader,
                    corruption.CheckPeriodicAsync, logger)), "corruption-monitor");
            }
            return started;
        }
        catch
        {
            if (host is not null)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>
    /// Waits until the apply actor has applied <paramref name="index"/>, as etcd waits before it looks up a simple token;
    /// false when the index is not in this member's log yet (nothing is waited for then).
    /// </summary>
    private static async Task<bool> WaitAppliedAsync(IActorRef apply, RaftStateBoard board, ulong index, TimeSpan timeout, CancellationToken ct)
    {
        if (index > board.Current.LastIndex)
        {
            return false;
        }
        var applied = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        apply.Tell(new QueryAt(index, new Query(_ => new EmptyResponse(), applied)));
        try
        {
            await applied.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The member's actor system, with the transport advertising <paramref name="advertisedPeerUrl"/>.</summary>
    private static async Task<(MemberActorHost Host, Akka.Configuration.Config Akka, PeerTransportSettings Transport)> StartHostAsync(
        MemberOptions options, string advertisedPeerUrl, ILoggerFactory loggers, CancellationToken ct)
    {
        var peerTls = PeerTlsSetup.From(options.PeerSecurity, options.DataDir,
            options.ListenPeerUrls.Append(advertisedPeerUrl).Select(url => PeerTransportSettings.HostOf(new Uri(url))),
            loggers.CreateLogger("embed"), TimeProvider.System);
        var transport = PeerTransportSettings.For(new Uri(options.ListenPeerUrls[0]), new Uri(advertisedPeerUrl), peerTls);
        var akka = MemberAkkaConfig.For(options, transport);
        var host = await MemberActorHost.StartAsync(akka, peerTls is null ? loggers : new PeerTlsLogTranslation(loggers, peerTls), ct,
            peerTls?.ToAkkaSetup()).ConfigureAwait(false);
        return (host, akka, transport);
    }

    /// <summary>
    /// Recovery failures arrive wrapped by Akka.Persistence; the data dir's own explanation (a format this build
    /// does not read, files that are not ours) is what the operator needs to see.
    /// </summary>
    private static async Task<T> ReadOrExplainAsync<T>(Task<T> recovery)
    {
        try
        {
            return await recovery.ConfigureAwait(false);
        }
        catch (Exception e) when (Explanation(e) is { } explained && !ReferenceEquals(explained, e))
        {
            throw explained;
        }
    }

    private static DataDirException? Explanation(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DataDirException dataDir)
            {
                return dataDir;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(Explanation).FirstOrDefault(x => x is not null) is { } inner)
            {
                return inner;
            }
        }
        return null;
    }

    /// <summary>
    /// A restarted member serves once it has re-applied what its log says was committed, so that no read, lease or
    /// watch sees less than the member had acknowledged before it stopped.
    /// </summary>
    private static async Task ReplayCommittedAsync(IActorRef apply, ulong commit, Task raftStopped, CancellationToken ct)
    {
        while (!raftStopped.IsCompleted)
        {
            var completion = new TaskCompletionSource<IMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            apply.Tell(new Query(view => new StatusResponse { RaftAppliedIndex = view.AppliedIndex }, completion));
            var applied = (StatusResponse)await completion.Task.WaitAsync(ct).ConfigureAwait(false);
            if (applied.RaftAppliedIndex >= commit)
            {
                return;
            }
            await Task.Delay(10, ct).ConfigureAwait(false);
        }
    }
}
