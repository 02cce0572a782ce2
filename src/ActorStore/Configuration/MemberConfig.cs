namespace ActorStore.Configuration;

/// <summary>
/// The complete configuration of one member: every server flag of etcd 3.4.23, typed, plus ActorStore's own
/// settings. A new instance holds etcd's defaults; <see cref="ConfigLoader"/> fills it from reference.conf,
/// a configuration file, the environment and the command line. URLs are kept as written (use
/// <see cref="Uri.OriginalString"/>; <see cref="Uri.ToString"/> adds a trailing slash).
/// </summary>
public sealed record MemberConfig
{
    private static readonly IReadOnlyList<Uri> DefaultPeerUrls = [new("http://localhost:2380")];
    private static readonly IReadOnlyList<Uri> DefaultClientUrls = [new("http://localhost:2379")];

    // ---- member ----

    public string Name { get; init; } = "default";

    /// <summary>Where the member keeps its data; "&lt;name&gt;.etcd" when not given.</summary>
    public string DataDir { get; init; } = "default.etcd";

    /// <summary>A separate directory for the write-ahead log (etcd's --wal-dir); empty means inside <see cref="DataDir"/>.</summary>
    public string WalDir { get; init; } = "";

    /// <summary>Committed entries between two snapshots.</summary>
    public long SnapshotCount { get; init; } = 100_000;

    public int MaxSnapshots { get; init; } = 5;

    public int MaxWals { get; init; } = 5;

    /// <summary>Raft tick, in milliseconds (--heartbeat-interval).</summary>
    public int HeartbeatIntervalMs { get; init; } = 100;

    /// <summary>Milliseconds without a leader before a follower campaigns (--election-timeout).</summary>
    public int ElectionTimeoutMs { get; init; } = 1000;

    public bool InitialElectionTickAdvance { get; init; } = true;

    public IReadOnlyList<Uri> ListenPeerUrls { get; init; } = DefaultPeerUrls;

    public IReadOnlyList<Uri> ListenClientUrls { get; init; } = DefaultClientUrls;

    /// <summary>Extra listeners serving only /metrics and /health; empty by default.</summary>
    public IReadOnlyList<Uri> ListenMetricsUrls { get; init; } = [];

    /// <summary>0 means etcd's default quota (2 GiB); a negative value disables the quota.</summary>
    public long QuotaBackendBytes { get; init; }

    /// <summary>Zero means the backend's own default.</summary>
    public TimeSpan BackendBatchInterval { get; init; }

    /// <summary>Zero means the backend's own default.</summary>
    public int BackendBatchLimit { get; init; }

    public int MaxTxnOps { get; init; } = 128;

    public long MaxRequestBytes { get; init; } = 1_572_864;

    public uint MaxConcurrentStreams { get; init; } = uint.MaxValue;

    public TimeSpan GrpcKeepAliveMinTime { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan GrpcKeepAliveInterval { get; init; } = TimeSpan.FromHours(2);

    public TimeSpan GrpcKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    // ---- clustering ----

    public IReadOnlyList<Uri> InitialAdvertisePeerUrls { get; init; } = DefaultPeerUrls;

    /// <summary>Empty only when a v2 proxy setting allowed it; otherwise validation requires it.</summary>
    public IReadOnlyList<Uri> AdvertiseClientUrls { get; init; } = DefaultClientUrls;

    /// <summary>--initial-cluster as written (after etcd's derivation from --name when left at its default).</summary>
    public string InitialCluster { get; init; } = "default=http://localhost:2380";

    /// <summary>--initial-cluster parsed; members in order of first appearance. Empty when discovery is used.</summary>
    public IReadOnlyList<InitialClusterMember> InitialClusterMembers { get; init; } =
        [new InitialClusterMember("default", DefaultPeerUrls)];

    public string InitialClusterToken { get; init; } = "etcd-cluster";

    public ClusterState InitialClusterState { get; init; } = ClusterState.New;

    public string Discovery { get; init; } = "";

    public DiscoveryFallback DiscoveryFallback { get; init; } = DiscoveryFallback.Proxy;

    public string DiscoveryProxy { get; init; } = "";

    public string DiscoverySrv { get; init; } = "";

    public string DiscoverySrvName { get; init; } = "";

    public bool StrictReconfigCheck { get; init; } = true;

    public bool EnableV2 { get; init; }

    public bool PreVote { get; init; }

    public string AutoCompactionRetention { get; init; } = "0";

    public AutoCompactionMode AutoCompactionMode { get; init; } = AutoCompactionMode.Periodic;

    // ---- v2 proxy (accepted, not implemented) ----

    public ProxyMode Proxy { get; init; } = ProxyMode.Off;

    public int ProxyFailureWaitMs { get; init; } = 5000;

    public int ProxyRefreshIntervalMs { get; init; } = 30_000;

    public int ProxyDialTimeoutMs { get; init; } = 1000;

    public int ProxyWriteTimeoutMs { get; init; } = 5000;

    public int ProxyReadTimeoutMs { get; init; }

    // ---- security ----

    /// <summary>--cert-file, --key-file, --client-cert-auth, --trusted-ca-file, --client-crl-file, --client-cert-allowed-hostname, --auto-tls.</summary>
    public TransportSecurity ClientSecurity { get; init; } = TransportSecurity.None;

    /// <summary>The --peer-* TLS flags and --experimental-peer-skip-client-san-verification.</summary>
    public TransportSecurity PeerSecurity { get; init; } = TransportSecurity.None;

    public IReadOnlyList<string> CipherSuites { get; init; } = [];

    /// <summary>Allowed CORS origins; "*" allows all.</summary>
    public IReadOnlyList<string> Cors { get; init; } = ["*"];

    /// <summary>Accepted Host headers on insecure listeners; "*" accepts all.</summary>
    public IReadOnlyList<string> HostWhitelist { get; init; } = ["*"];

    // ---- auth ----

    /// <summary>"simple" or "jwt,..." options.</summary>
    public string AuthToken { get; init; } = "simple";

    public int BcryptCost { get; init; } = 10;

    /// <summary>Lifetime of a simple token, in seconds.</summary>
    public int AuthTokenTtlSeconds { get; init; } = 300;

    // ---- profiling and monitoring ----

    public bool EnablePprof { get; init; }

    /// <summary>"basic" or "extensive".</summary>
    public string Metrics { get; init; } = "basic";

    public bool EnableGrpcGateway { get; init; } = true;

    // ---- logging ----

    /// <summary>"capnslog" or "zap" in etcd; ActorStore always writes JSON lines.</summary>
    public string Logger { get; init; } = "capnslog";

    public IReadOnlyList<string> LogOutputs { get; init; } = ["default"];

    /// <summary>debug, info, warn, error, dpanic, panic or fatal.</summary>
    public string LogLevel { get; init; } = "info";

    /// <summary>The deprecated --debug flag.</summary>
    public bool Debug { get; init; }

    public string LogPackageLevels { get; init; } = "";

    /// <summary>The level to log at: <see cref="LogLevel"/>, or "debug" when the deprecated --debug flag is on.</summary>
    public string EffectiveLogLevel => Debug ? "debug" : LogLevel;

    // ---- experimental ----

    public bool ExperimentalInitialCorruptCheck { get; init; }

    public TimeSpan ExperimentalCorruptCheckTime { get; init; }

    public string ExperimentalEnableV2V3 { get; init; } = "";

    public string ExperimentalBackendBboltFreelistType { get; init; } = "array";

    public bool ExperimentalEnableLeaseCheckpoint { get; init; }

    public bool ExperimentalEnableLeaseCheckpointPersist { get; init; }

    public int ExperimentalCompactionBatchLimit { get; init; } = 1000;

    public TimeSpan ExperimentalWatchProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ExperimentalWarningApplyDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    // ---- unsafe ----

    public bool UnsafeNoFsync { get; init; }

    public bool ForceNewCluster { get; init; }

    // ---- ActorStore's own ----

    /// <summary>Journal plugin for the Raft log (actorstore.persistence.journal.plugin).</summary>
    public string JournalPlugin { get; init; } = "sqlite";

    /// <summary>Messages an actor handles per turn before yielding its thread (actorstore.actor.mailbox.throughput).</summary>
    public int MailboxThroughput { get; init; } = 100;

    /// <summary>The configuration file that was read, if any.</summary>
    public string? ConfigFile { get; init; }

    // ---- derived ----

    public TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(HeartbeatIntervalMs);

    public TimeSpan ElectionTimeout => TimeSpan.FromMilliseconds(ElectionTimeoutMs);

    /// <summary>Raft ticks per election timeout, as etcd computes it.</summary>
    public int ElectionTicks => ElectionTimeoutMs / HeartbeatIntervalMs;

    public bool IsNewCluster => InitialClusterState == ClusterState.New;
}
