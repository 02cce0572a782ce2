namespace ActorStore.Configuration;

/// <summary>Builds the typed <see cref="MemberConfig"/> from the merged, validated settings.</summary>
internal static class MemberConfigFactory
{
    public static MemberConfig Create(SettingValues v, List<(string Name, List<string> Urls)> members, string? configFile) => new()
    {
        Name = v.String("name"),
        DataDir = v.String("data-dir"),
        WalDir = v.String("wal-dir"),
        SnapshotCount = v.Long("snapshot-count"),
        MaxSnapshots = v.Int("max-snapshots"),
        MaxWals = v.Int("max-wals"),
        HeartbeatIntervalMs = v.Int("heartbeat-interval"),
        ElectionTimeoutMs = v.Int("election-timeout"),
        InitialElectionTickAdvance = v.Bool("initial-election-tick-advance"),
        ListenPeerUrls = Uris(v.List("listen-peer-urls")),
        ListenClientUrls = Uris(v.List("listen-client-urls")),
        ListenMetricsUrls = Uris(v.List("listen-metrics-urls")),
        QuotaBackendBytes = v.Long("quota-backend-bytes"),
        BackendBatchInterval = v.Duration("backend-batch-interval"),
        BackendBatchLimit = v.Int("backend-batch-limit"),
        MaxTxnOps = v.Int("max-txn-ops"),
        MaxRequestBytes = v.Long("max-request-bytes"),
        MaxConcurrentStreams = checked((uint)v.Long("max-concurrent-streams")),
        GrpcKeepAliveMinTime = v.Duration("grpc-keepalive-min-time"),
        GrpcKeepAliveInterval = v.Duration("grpc-keepalive-interval"),
        GrpcKeepAliveTimeout = v.Duration("grpc-keepalive-timeout"),

        InitialAdvertisePeerUrls = Uris(v.List("initial-advertise-peer-urls")),
        AdvertiseClientUrls = Uris(v.List("advertise-client-urls")),
        InitialCluster = v.String("initial-cluster"),
        InitialClusterMembers = members.Select(static m => new InitialClusterMember(m.Name, Uris(m.Urls))).ToList(),
        InitialClusterToken = v.String("initial-cluster-token"),
        InitialClusterState = v.String("initial-cluster-state") == "existing" ? ClusterState.Existing : ClusterState.New,
        Discovery = v.String("discovery"),
        DiscoveryFallback = v.String("discovery-fallback") == "exit" ? DiscoveryFallback.Exit : DiscoveryFallback.Proxy,
        DiscoveryProxy = v.String("discovery-proxy"),
        DiscoverySrv = v.String("discovery-srv"),
        DiscoverySrvName = v.String("discovery-srv-name"),
        StrictReconfigCheck = v.Bool("strict-reconfig-check"),
        EnableV2 = v.Bool("enable-v2"),
        PreVote = v.Bool("pre-vote"),
        AutoCompactionRetention = v.String("auto-compaction-retention"),
        AutoCompactionMode = v.String("auto-compaction-mode") == "revision" ? AutoCompactionMode.Revision : AutoCompactionMode.Periodic,

        Proxy = v.String("proxy") switch
        {
            "on" => ProxyMode.On,
            "readonly" => ProxyMode.Readonly,
            _ => ProxyMode.Off,
        },
        ProxyFailureWaitMs = v.Int("proxy-failure-wait"),
        ProxyRefreshIntervalMs = v.Int("proxy-refresh-interval"),
        ProxyDialTimeoutMs = v.Int("proxy-dial-timeout"),
        ProxyWriteTimeoutMs = v.Int("proxy-write-timeout"),
        ProxyReadTimeoutMs = v.Int("proxy-read-timeout"),

        ClientSecurity = new TransportSecurity
        {
            CertFile = v.String("cert-file"),
            KeyFile = v.String("key-file"),
            ClientCertAuth = v.Bool("client-cert-auth"),
            TrustedCaFile = v.String("trusted-ca-file"),
            CrlFile = v.String("client-crl-file"),
            AllowedHostname = v.String("client-cert-allowed-hostname"),
            AutoTls = v.Bool("auto-tls"),
        },
        PeerSecurity = new TransportSecurity
        {
            CertFile = v.String("peer-cert-file"),
            KeyFile = v.String("peer-key-file"),
            ClientCertAuth = v.Bool("peer-client-cert-auth"),
            TrustedCaFile = v.String("peer-trusted-ca-file"),
            CrlFile = v.String("peer-crl-file"),
            AllowedCn = v.String("peer-cert-allowed-cn"),
            AllowedHostname = v.String("peer-cert-allowed-hostname"),
            AutoTls = v.Bool("peer-auto-tls"),
            SkipClientSanVerification = v.Bool("experimental-peer-skip-client-san-verification"),
        },
        CipherSuites = v.List("cipher-suites").Where(static s => s.Length > 0).ToList(),
        Cors = v.List("cors").ToList(),
        HostWhitelist = v.List("host-whitelist").ToList(),

        AuthToken = v.String("auth-token"),
        BcryptCost = v.Int("bcrypt-cost"),
        AuthTokenTtlSeconds = v.Int("auth-token-ttl"),
        EnablePprof = v.Bool("enable-pprof"),
        Metrics = v.String("metrics"),
        EnableGrpcGateway = v.Bool("enable-grpc-gateway"),

        Logger = v.String("logger"),
        LogOutputs = v.List("log-outputs").ToList(),
        LogLevel = v.String("log-level"),
        Debug = v.Bool("debug"),
        LogPackageLevels = v.String("log-package-levels"),

        ExperimentalInitialCorruptCheck = v.Bool("experimental-initial-corrupt-check"),
        ExperimentalCorruptCheckTime = v.Duration("experimental-corrupt-check-time"),
        ExperimentalEnableV2V3 = v.String("experimental-enable-v2v3"),
        ExperimentalBackendBboltFreelistType = v.String("experimental-backend-bbolt-freelist-type"),
        ExperimentalEnableLeaseCheckpoint = v.Bool("experimental-enable-lease-checkpoint"),
        ExperimentalEnableLeaseCheckpointPersist = v.Bool("experimental-enable-lease-checkpoint-persist"),
        ExperimentalCompactionBatchLimit = v.Int("experimental-compaction-batch-limit"),
        ExperimentalWatchProgressNotifyInterval = v.Duration("experimental-watch-progress-notify-interval"),
        ExperimentalWarningApplyDuration = v.Duration("experimental-warning-apply-duration"),

        UnsafeNoFsync = v.Bool("unsafe-no-fsync"),
        ForceNewCluster = v.Bool("force-new-cluster"),

        JournalPlugin = v.String("journal-plugin"),
        MailboxThroughput = v.Int("mailbox-throughput"),
        ConfigFile = configFile,
    };

    private static List<Uri> Uris(IEnumerable<string> urls) => urls.Select(static url => new Uri(url, UriKind.Absolute)).ToList();
}
