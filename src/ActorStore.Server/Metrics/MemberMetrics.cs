using Prometheus;

namespace ActorStore.Server.Metrics;

/// <summary>
/// One member's Prometheus series, in a registry of its own (never prometheus-net's static default registry), with
/// etcd 3.4.23's names, types, labels and help texts, plus ActorStore's own under actorstore_*. The parts that count
/// get this object; counters and gauges without labels, and label children resolved once, count without allocating.
/// </summary>
public sealed class MemberMetrics
{
    /// <summary>etcd's disk histograms: 1 ms doubling 14 times (up to 8.192 s).</summary>
    private static readonly double[] DiskBuckets = Histogram.ExponentialBuckets(0.001, 2, 14);

    /// <summary>etcd's peer round-trip histogram: 0.1 ms doubling 16 times.</summary>
    private static readonly double[] RoundTripBuckets = Histogram.ExponentialBuckets(0.0001, 2, 16);

    public MemberMetrics()
    {
        Registry = global::Prometheus.Metrics.NewCustomRegistry();
        Factory = global::Prometheus.Metrics.WithCustomRegistry(Registry);
        var f = Factory;

        HasLeader = f.CreateGauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.");
        IsLeader = f.CreateGauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.");
        LeaderChanges = f.CreateCounter("etcd_server_leader_changes_seen_total", "The number of leader changes seen.");
        ProposalsCommitted = f.CreateGauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.");
        ProposalsApplied = f.CreateGauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.");
        ProposalsPending = f.CreateGauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.");
        ProposalsFailed = f.CreateCounter("etcd_server_proposals_failed_total", "The total number of failed proposals seen.");
        HeartbeatSendFailures = f.CreateCounter("etcd_server_heartbeat_send_failures_total",
            "The total number of leader heartbeat send failures (likely overloaded from slow disk).");
        SlowApply = f.CreateCounter("etcd_server_slow_apply_total", "The total number of slow apply requests (likely overloaded from slow disk).");
        HealthSuccesses = f.CreateCounter("etcd_server_health_success", "The total number of successful health checks");
        HealthFailures = f.CreateCounter("etcd_server_health_failures", "The total number of failed health checks");
        QuotaBackendBytes = f.CreateGauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.");
        ServerId = f.CreateGauge("etcd_server_id", "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.", ["server_id"]);
        f.CreateGauge("etcd_server_version", "Which version is running. 1 for 'server_version' label with current version.", ["server_version"])
            .WithLabels(EtcdVersions.Server).Set(1);

        WalFsyncDuration = f.CreateHistogram("etcd_disk_wal_fsync_duration_seconds", "The latency distributions of fsync called by WAL.",
            new HistogramConfiguration { Buckets = DiskBuckets });
        BackendCommitDuration = f.CreateHistogram("etcd_disk_backend_commit_duration_seconds", "The latency distributions of commit called by backend.",
            new HistogramConfiguration { Buckets = DiskBuckets });

        DbTotalSize = f.CreateGauge("etcd_mvcc_db_total_size_in_bytes", "Total size of the underlying database physically allocated in bytes.");
        DbTotalSizeInUse = f.CreateGauge("etcd_mvcc_db_total_size_in_use_in_bytes", "Total size of the underlying database logically in use in bytes.");
        Puts = f.CreateCounter("etcd_mvcc_put_total", "Total number of puts seen by this member.");
        Deletes = f.CreateCounter("etcd_mvcc_delete_total", "Total number of deletes seen by this member.");
        Ranges = f.CreateCounter("etcd_mvcc_range_total", "Total number of ranges seen by this member.");
        Txns = f.CreateCounter("etcd_mvcc_txn_total", "Total number of txns seen by this member.");
        Keys = f.CreateGauge("etcd_debugging_mvcc_keys_total", "Total number of keys.");
        Watchers = f.CreateGauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.");
        SlowWatchers = f.CreateGauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.");
        LeasesGranted = f.CreateCounter("etcd_debugging_lease_granted_total", "The total number of granted leases.");

        PeerRoundTrip = f.CreateHistogram("etcd_network_peer_round_trip_time_seconds", "Round-Trip-Time histogram between peers",
            new HistogramConfiguration { Buckets = RoundTripBuckets, LabelNames = ["To"] });
        PeerSentBytes = f.CreateCounter("etcd_network_peer_sent_bytes_total", "The total number of bytes sent to peers.", ["To"]);
        PeerReceivedBytes = f.CreateCounter("etcd_network_peer_received_bytes_total", "The total number of bytes received from peers.", ["From"]);
        ClientGrpcSentBytes = f.CreateCounter("etcd_network_client_grpc_sent_bytes_total", "The total number of bytes sent to grpc clients.");
        ClientGrpcReceivedBytes = f.CreateCounter("etcd_network_client_grpc_received_bytes_total", "The total number of bytes received from grpc clients.");

        RaftMailboxDepth = f.CreateGauge("actorstore_raft_mailbox_depth",
            "Messages waiting in the Raft actor's mailbox at the scrape; a growing depth means Raft falls behind its inputs.");
        ApplyMailboxDepth = f.CreateGauge("actorstore_apply_mailbox_depth",
            "Messages waiting in the apply actor's mailbox at the scrape; a growing depth means applying falls behind commits.");
        JournalBatchEntries = f.CreateHistogram("actorstore_journal_batch_entries",
            "Raft log entries written per journal write (one transaction, one fsync); larger batches mean fewer fsyncs per entry.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 12) });

        ProcessMetrics.Register(Factory, Registry);
        RuntimeMetrics.Register(Factory, Registry);
    }

    /// <summary>The member's own registry: what /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Makes further series in <see cref="Registry"/> (the gateway's gRPC series).</summary>
    public IMetricFactory Factory { get; }

    public Gauge HasLeader { get; }
    public Gauge IsLeader { get; }
    public Counter LeaderChanges { get; }
    public Gauge ProposalsCommitted { get; }
    public Gauge ProposalsApplied { get; }
    public Gauge ProposalsPending { get; }
    public Counter ProposalsFailed { get; }
    public Counter HeartbeatSendFailures { get; }
    public Counter SlowApply { get; }
    public Gauge ServerId { get; }

    /// <summary>/health answers, as etcd counts them.</summary>
    public Counter HealthSuccesses { get; }

    public Counter HealthFailures { get; }

    /// <summary>Set once from --quota-backend-bytes (see <see cref="SetQuota"/>); alerts divide the database size by it.</summary>
    public Gauge QuotaBackendBytes { get; }

    /// <summary>etcd's quota gauge: the configured bytes, 2 GiB when 0 (etcd's default), negative when disabled.</summary>
    public void SetQuota(long quotaBackendBytes) => QuotaBackendBytes.Set(quotaBackendBytes == 0 ? 2L * 1024 * 1024 * 1024 : quotaBackendBytes);
    public Histogram WalFsyncDuration { get; }
    public Histogram BackendCommitDuration { get; }
    public Gauge DbTotalSize { get; }
    public Gauge DbTotalSizeInUse { get; }
    public Counter Puts { get; }
    public Counter Deletes { get; }
    public Counter Ranges { get; }
    public Counter Txns { get; }
    public Gauge Keys { get; }
    public Gauge Watchers { get; }
    public Gauge SlowWatchers { get; }
    public Counter LeasesGranted { get; }
    public Histogram PeerRoundTrip { get; }
    public Counter PeerSentBytes { get; }
    public Counter PeerReceivedBytes { get; }
    public Counter ClientGrpcSentBytes { get; }
    public Counter ClientGrpcReceivedBytes { get; }
    public Gauge RaftMailboxDepth { get; }
    public Gauge ApplyMailboxDepth { get; }
    public Histogram JournalBatchEntries { get; }

    /// <summary>Writes every series in Prometheus' text format.</summary>
    public Task ExportAsTextAsync(Stream destination, CancellationToken ct) => Registry.CollectAndExportAsTextAsync(destination, ct);
}
