using System.Collections.Frozen;

namespace ActorStore.Configuration;

/// <summary>
/// Every server flag of etcd 3.4.23 (names, Go types and YAML keys are etcd's; descriptions are ours), plus
/// ActorStore's own settings. The order is the order of the help text.
/// </summary>
internal static class FlagCatalog
{
    public const string ConfigFileFlag = "config-file";
    public const string VersionFlag = "version";

    private const string Member = "Member";
    private const string Clustering = "Clustering";
    private const string Security = "Security";
    private const string Auth = "Auth";
    private const string Monitoring = "Profiling and Monitoring";
    private const string Logging = "Logging";
    private const string Proxy = "v2 Proxy (accepted for compatibility; ActorStore has no v2 proxy)";
    private const string Experimental = "Experimental feature";
    private const string Unsafe = "Unsafe feature";
    private const string Deprecated = "To be deprecated";
    private const string Own = "ActorStore";
    private const string Hidden = "";
    private const string ChangesSecurity = "security";
    private const string ChangesClustering = "how the cluster forms";

    /// <summary>Flags etcd 3.4.23 still accepts from older releases, only to warn that they do nothing.</summary>
    private static readonly IReadOnlyList<string> IgnoredFlags =
    [
        "cluster-active-size", "cluster-remove-delay", "cluster-sync-interval", "config", "force", "max-result-buffer",
        "max-retry-attempts", "peer-heartbeat-interval", "peer-election-timeout", "retry-interval", "snapshot", "v", "vv",
        "test.coverprofile", "test.outputdir",
    ];

    public static IReadOnlyList<FlagSpec> All { get; } = Build().AsReadOnly();

    private static readonly FrozenDictionary<string, FlagSpec> ByName = All.Where(static s => s.IsFlag).ToFrozenDictionary(static s => s.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, out FlagSpec spec) => ByName.TryGetValue(name, out spec!);

    public static FlagSpec Get(string name) => ByName[name];

    private static List<FlagSpec> Build()
    {
        const long IntMax = int.MaxValue;
        List<FlagSpec> specs =
        [
            new(ConfigFileFlag, FlagKind.String, Hidden, "Read the configuration from this file: etcd's YAML, or HOCON when the name ends in .hocon. A YAML file replaces all other flags and ETCD_ variables, as in etcd.") { Implemented = true },

            // Member
            new("name", FlagKind.String, Member, "Human-readable name of this member.") { HoconPath = "member.name", YamlKey = "name", Implemented = true },
            new("data-dir", FlagKind.String, Member, "Directory holding the member's data; '<name>.etcd' when empty.") { HoconPath = "member.data-dir", YamlKey = "data-dir", Implemented = true },
            new("wal-dir", FlagKind.String, Member, "Separate directory for the write-ahead log.") { HoconPath = "member.wal-dir", YamlKey = "wal-dir", Implemented = true },
            new("snapshot-count", FlagKind.Integer, Member, "Committed entries that trigger a snapshot.") { HoconPath = "raft.snapshot-count", YamlKey = "snapshot-count", YamlType = "uint64", Implemented = true },
            new("heartbeat-interval", FlagKind.Integer, Member, "Milliseconds between leader heartbeats (the Raft tick).") { HoconPath = "raft.heartbeat-interval", YamlKey = "heartbeat-interval", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds, Implemented = true },
            new("election-timeout", FlagKind.Integer, Member, "Milliseconds a follower waits for the leader before starting an election.") { HoconPath = "raft.election-timeout", YamlKey = "election-timeout", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds, Implemented = true },
            new("initial-election-tick-advance", FlagKind.Bool, Member, "Skip most of the first election timeout after boot, so a leader is elected sooner.") { HoconPath = "raft.initial-election-tick-advance", YamlKey = "initial-election-tick-advance", YamlType = "bool" },
            new("listen-peer-urls", FlagKind.Urls, Member, "URLs to accept peer (member-to-member) traffic on.") { HoconPath = "member.listen-peer-urls", YamlKey = "listen-peer-urls", Implemented = true },
            new("listen-client-urls", FlagKind.Urls, Member, "URLs to accept client traffic on.") { HoconPath = "member.listen-client-urls", YamlKey = "listen-client-urls", Implemented = true },
            new("max-snapshots", FlagKind.Integer, Member, "Snapshot files to keep (0 keeps all).") { HoconPath = "member.max-snapshots", YamlKey = "max-snapshots", YamlType = "uint", Max = IntMax, Implemented = true },
            new("max-wals", FlagKind.Integer, Member, "WAL files to keep (0 keeps all).") { HoconPath = "member.max-wals", YamlKey = "max-wals", YamlType = "uint", Max = IntMax, Implemented = true },
            new("quota-backend-bytes", FlagKind.Integer, Member, "Raise a NOSPACE alarm when the backend grows beyond this size (0 uses the default quota).") { HoconPath = "limits.quota-backend-bytes", YamlKey = "quota-backend-bytes", YamlType = "int64", Min = long.MinValue, Unit = HoconUnit.Bytes, Implemented = true },
            new("backend-batch-interval", FlagKind.Duration, Member, "Longest time a backend transaction stays open before it commits.") { HoconPath = "backend.batch-interval", YamlKey = "backend-batch-interval", YamlType = "time.Duration" },
            new("backend-batch-limit", FlagKind.Integer, Member, "Most operations in one backend transaction before it commits.") { HoconPath = "backend.batch-limit", YamlKey = "backend-batch-limit", YamlType = "int", Min = int.MinValue, Max = IntMax },
            new("max-txn-ops", FlagKind.Integer, Member, "Most operations allowed in one transaction.") { HoconPath = "limits.max-txn-ops", YamlKey = "max-txn-ops", YamlType = "uint", Max = IntMax, Implemented = true },
            new("max-request-bytes", FlagKind.Integer, Member, "Largest client request, in bytes, the server accepts.") { HoconPath = "limits.max-request-bytes", YamlKey = "max-request-bytes", YamlType = "uint", Unit = HoconUnit.Bytes, Implemented = true },
            new("max-concurrent-streams", FlagKind.UInt32, Member, "Most concurrent streams one client connection may open.") { HoconPath = "limits.max-concurrent-streams", YamlKey = "max-concurrent-streams", YamlType = "uint32", Max = uint.MaxValue, Implemented = true },
            new("grpc-keepalive-min-time", FlagKind.Duration, Member, "Shortest interval a client may ping the server at.") { HoconPath = "grpc.keepalive-min-time", YamlKey = "grpc-keepalive-min-time", YamlType = "time.Duration", Implemented = true },
            new("grpc-keepalive-interval", FlagKind.Duration, Member, "How often the server pings an idle connection (0 disables).") { HoconPath = "grpc.keepalive-interval", YamlKey = "grpc-keepalive-interval", YamlType = "time.Duration", Implemented = true },
            new("grpc-keepalive-timeout", FlagKind.Duration, Member, "How long to wait for a ping answer before closing the connection (0 disables).") { HoconPath = "grpc.keepalive-timeout", YamlKey = "grpc-keepalive-timeout", YamlType = "time.Duration", Implemented = true },

            // Clustering
            new("initial-advertise-peer-urls", FlagKind.Urls, Clustering, "This member's peer URLs as the other members should reach them.") { HoconPath = "member.initial-advertise-peer-urls", YamlKey = "initial-advertise-peer-urls", Implemented = true },
            new("initial-cluster", FlagKind.String, Clustering, "Members of the cluster to bootstrap, as name=peerURL pairs separated by commas.") { HoconPath = "cluster.initial-cluster", YamlKey = "initial-cluster", Implemented = true },
            new("initial-cluster-state", FlagKind.Choice, Clustering, "'new' to bootstrap a cluster, 'existing' to join a running one.") { HoconPath = "cluster.initial-cluster-state", YamlKey = "initial-cluster-state", Choices = ["new", "existing"], Implemented = true },
            new("initial-cluster-token", FlagKind.String, Clustering, "Token unique to the cluster being bootstrapped; keeps separate clusters from mixing.") { HoconPath = "cluster.initial-cluster-token", YamlKey = "initial-cluster-token", Implemented = true },
            new("advertise-client-urls", FlagKind.Urls, Clustering, "This member's client URLs as clients should reach them.") { HoconPath = "member.advertise-client-urls", YamlKey = "advertise-client-urls", Implemented = true },
            new("discovery", FlagKind.String, Clustering, "Discovery service URL to bootstrap the cluster with.") { HoconPath = "cluster.discovery", YamlKey = "discovery", Implemented = true },
            new("discovery-fallback", FlagKind.Choice, Clustering, "What to do when discovery fails: 'exit' or 'proxy'.") { HoconPath = "cluster.discovery-fallback", YamlKey = "discovery-fallback", YamlStruct = "configProxy", Choices = ["proxy", "exit"], Implemented = true },
            new("discovery-proxy", FlagKind.String, Clustering, "HTTP proxy for the discovery service.") { HoconPath = "cluster.discovery-proxy", YamlKey = "discovery-proxy", Implemented = true },
            new("discovery-srv", FlagKind.String, Clustering, "DNS domain whose SRV records list the initial cluster.") { HoconPath = "cluster.discovery-srv", YamlKey = "discovery-srv", Implemented = true },
            new("discovery-srv-name", FlagKind.String, Clustering, "Suffix of the SRV names queried for DNS discovery.") { HoconPath = "cluster.discovery-srv-name", YamlKey = "discovery-srv-name", Implemented = true },
            new("strict-reconfig-check", FlagKind.Bool, Clustering, "Refuse membership changes that would lose quorum.") { HoconPath = "cluster.strict-reconfig-check", YamlKey = "strict-reconfig-check", YamlType = "bool" },
            new("pre-vote", FlagKind.Bool, Clustering, "Run Raft's pre-vote phase before an election.") { HoconPath = "raft.pre-vote", YamlKey = "pre-vote", YamlType = "bool" },
            new("auto-compaction-retention", FlagKind.String, Clustering, "History to keep when compacting automatically: a duration (hours when unitless) or a revision count; 0 disables.") { HoconPath = "compaction.auto-compaction-retention", YamlKey = "auto-compaction-retention", Implemented = true },
            new("auto-compaction-mode", FlagKind.String, Clustering, "How to read auto-compaction-retention: 'periodic' or 'revision'.") { HoconPath = "compaction.auto-compaction-mode", YamlKey = "auto-compaction-mode", Implemented = true },
            new("enable-v2", FlagKind.Bool, Clustering, "Serve the etcd v2 API.") { HoconPath = "v2.enable-v2", YamlKey = "enable-v2", YamlType = "bool", Implemented = true },

            // Security
            new("cert-file", FlagKind.String, Security, "TLS certificate for client connections.") { HoconPath = "security.client.cert-file", YamlKey = "client-transport-security/cert-file", YamlStruct = "securityConfig", Implemented = true },
            new("key-file", FlagKind.String, Security, "TLS key for client connections.") { HoconPath = "security.client.key-file", YamlKey = "client-transport-security/key-file", YamlStruct = "securityConfig", Implemented = true },
            new("client-cert-auth", FlagKind.Bool, Security, "Require clients to present a certificate signed by the trusted CA.") { HoconPath = "security.client.client-cert-auth", YamlKey = "client-transport-security/client-cert-auth", YamlStruct = "securityConfig", YamlType = "bool", Implemented = true },
            // etcd 3.4.23's YAML has no keys for the next two; they are named as the peer side's are.
            new("client-crl-file", FlagKind.String, Security, "Certificate revocation list for client certificates.") { HoconPath = "security.client.crl-file", YamlKey = "client-transport-security/crl-file", YamlStruct = "securityConfig", Implemented = true },
            new("client-cert-allowed-hostname", FlagKind.String, Security, "Accept only client certificates valid for this host name.") { HoconPath = "security.client.allowed-hostname", YamlKey = "client-transport-security/allowed-hostname", YamlStruct = "securityConfig", Implemented = true },
            new("trusted-ca-file", FlagKind.String, Security, "CA bundle that client certificates must chain to.") { HoconPath = "security.client.trusted-ca-file", YamlKey = "client-transport-security/trusted-ca-file", YamlStruct = "securityConfig", Implemented = true },
            new("auto-tls", FlagKind.Bool, Security, "Serve clients over TLS with a generated self-signed certificate.") { HoconPath = "security.client.auto-tls", YamlKey = "client-transport-security/auto-tls", YamlStruct = "securityConfig", YamlType = "bool", Implemented = true },
            new("peer-cert-file", FlagKind.String, Security, "TLS certificate for peer connections.") { HoconPath = "security.peer.cert-file", YamlKey = "peer-transport-security/cert-file", YamlStruct = "securityConfig", Implemented = true },
            new("peer-key-file", FlagKind.String, Security, "TLS key for peer connections.") { HoconPath = "security.peer.key-file", YamlKey = "peer-transport-security/key-file", YamlStruct = "securityConfig", Implemented = true },
            new("peer-client-cert-auth", FlagKind.Bool, Security, "Require peers to present a certificate signed by the trusted CA.") { HoconPath = "security.peer.client-cert-auth", YamlKey = "peer-transport-security/client-cert-auth", YamlStruct = "securityConfig", YamlType = "bool", Implemented = true },
            new("peer-trusted-ca-file", FlagKind.String, Security, "CA bundle that peer certificates must chain to.") { HoconPath = "security.peer.trusted-ca-file", YamlKey = "peer-transport-security/trusted-ca-file", YamlStruct = "securityConfig", Implemented = true },
            // etcd 3.4.23's YAML has no keys for the next three; later etcd releases name them so under peer-transport-security.
            new("peer-cert-allowed-cn", FlagKind.String, Security, "Accept only peer certificates with this common name.") { HoconPath = "security.peer.allowed-cn", YamlKey = "peer-transport-security/allowed-cn", YamlStruct = "securityConfig", Implemented = true },
            new("peer-cert-allowed-hostname", FlagKind.String, Security, "Accept only peer certificates valid for this host name.") { HoconPath = "security.peer.allowed-hostname", YamlKey = "peer-transport-security/allowed-hostname", YamlStruct = "securityConfig", Implemented = true },
            new("peer-auto-tls", FlagKind.Bool, Security, "Talk to peers over TLS with a generated self-signed certificate when no peer certificate is given.") { HoconPath = "security.peer.auto-tls", YamlKey = "peer-transport-security/auto-tls", YamlStruct = "securityConfig", YamlType = "bool", Implemented = true },
            new("peer-crl-file", FlagKind.String, Security, "Certificate revocation list for peer certificates.") { HoconPath = "security.peer.crl-file", YamlKey = "peer-transport-security/crl-file", YamlStruct = "securityConfig", Implemented = true },
            new("cipher-suites", FlagKind.Strings, Security, "TLS cipher suites to allow, comma-separated (empty lets the runtime choose).") { HoconPath = "security.cipher-suites", YamlKey = "cipher-suites", YamlType = "[]string", Implemented = true },
            new("cors", FlagKind.Urls, Security, "Origins allowed for cross-origin requests, comma-separated ('*' allows all).") { HoconPath = "security.cors", YamlKey = "cors", UrlExceptions = ["*"], Implemented = true },
            new("host-whitelist", FlagKind.UniqueStrings, Security, "Host names accepted from HTTP clients on insecure listeners ('*' accepts all).") { HoconPath = "security.host-whitelist", YamlKey = "host-whitelist", Implemented = true },

            // Auth
            new("auth-token", FlagKind.String, Auth, "Kind of auth token and its options: 'simple' or 'jwt,...'.") { HoconPath = "auth.token", YamlKey = "auth-token", Implemented = true },
            new("bcrypt-cost", FlagKind.Integer, Auth, "bcrypt cost for hashing passwords (4 to 31).") { HoconPath = "auth.bcrypt-cost", YamlKey = "bcrypt-cost", YamlType = "uint", Max = IntMax, Implemented = true },
            new("auth-token-ttl", FlagKind.Integer, Auth, "Seconds a simple token stays valid.") { HoconPath = "auth.token-ttl", YamlKey = "auth-token-ttl", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Seconds, Implemented = true },

            // Profiling and monitoring
            new("enable-pprof", FlagKind.Bool, Monitoring, "Serve runtime profiling data under /debug/pprof/ on the client URLs.") { HoconPath = "monitoring.enable-pprof", YamlKey = "enable-pprof", YamlType = "bool" },
            new("metrics", FlagKind.String, Monitoring, "Detail of exported metrics: 'basic' or 'extensive' (adds histograms).") { HoconPath = "monitoring.metrics", YamlKey = "metrics", Implemented = true },
            new("listen-metrics-urls", FlagKind.Urls, Monitoring, "Extra URLs serving only the metrics and health endpoints.") { HoconPath = "monitoring.listen-metrics-urls", YamlKey = "listen-metrics-urls", Implemented = true },

            // Logging
            new("logger", FlagKind.String, Logging, "'zap' or 'capnslog' in etcd; ActorStore always writes JSON lines.") { HoconPath = "log.logger", YamlKey = "logger", Implemented = true },
            new("log-outputs", FlagKind.UniqueStrings, Logging, "Where logs go: 'default', 'stderr', 'stdout', 'systemd/journal' or file paths, comma-separated.") { HoconPath = "log.outputs", YamlKey = "log-outputs", YamlType = "[]string", Implemented = true },
            new("log-level", FlagKind.String, Logging, "Lowest level logged: debug, info, warn, error, panic or fatal.") { HoconPath = "log.level", YamlKey = "log-level", Implemented = true },
            new("enable-grpc-gateway", FlagKind.Bool, Hidden, "Serve the JSON gateway to the v3 API.") { HoconPath = "grpc.enable-gateway", YamlKey = "enable-grpc-gateway", YamlType = "bool", Implemented = true },

            // v2 proxy
            new("proxy", FlagKind.Choice, Proxy, "Proxy mode: 'off', 'readonly' or 'on'.") { HoconPath = "proxy.mode", YamlKey = "proxy", YamlStruct = "configProxy", Choices = ["off", "readonly", "on"], RefusedBecauseItChanges = ChangesClustering,
                NotBuiltBecause = "etcd's v2 proxy, deprecated in etcd 3.4, is not part of it (point clients at the members' client URLs; etcd's clients balance across them)" },
            new("proxy-failure-wait", FlagKind.Integer, Proxy, "Milliseconds an endpoint stays marked as failed.") { HoconPath = "proxy.failure-wait", YamlKey = "proxy-failure-wait", YamlStruct = "configProxy", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds },
            new("proxy-refresh-interval", FlagKind.Integer, Proxy, "Milliseconds between endpoint refreshes.") { HoconPath = "proxy.refresh-interval", YamlKey = "proxy-refresh-interval", YamlStruct = "configProxy", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds },
            new("proxy-dial-timeout", FlagKind.Integer, Proxy, "Milliseconds before a dial times out.") { HoconPath = "proxy.dial-timeout", YamlKey = "proxy-dial-timeout", YamlStruct = "configProxy", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds },
            new("proxy-write-timeout", FlagKind.Integer, Proxy, "Milliseconds before a write times out.") { HoconPath = "proxy.write-timeout", YamlKey = "proxy-write-timeout", YamlStruct = "configProxy", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds },
            new("proxy-read-timeout", FlagKind.Integer, Proxy, "Milliseconds before a read times out (0 waits forever).") { HoconPath = "proxy.read-timeout", YamlKey = "proxy-read-timeout", YamlStruct = "configProxy", YamlType = "uint", Max = IntMax, Unit = HoconUnit.Milliseconds },

            // Experimental
            new("experimental-initial-corrupt-check", FlagKind.Bool, Experimental, "Compare data with the other members before serving traffic.") { HoconPath = "experimental.initial-corrupt-check", YamlKey = "experimental-initial-corrupt-check", YamlType = "bool", Implemented = true },
            new("experimental-corrupt-check-time", FlagKind.Duration, Experimental, "Time between periodic corruption checks (0 disables).") { HoconPath = "experimental.corrupt-check-time", YamlKey = "experimental-corrupt-check-time", YamlType = "time.Duration", Implemented = true },
            new("experimental-enable-v2v3", FlagKind.String, Experimental, "Key prefix under which v2 requests are served from the v3 store.") { HoconPath = "experimental.enable-v2v3", YamlKey = "experimental-enable-v2v3" },
            new("experimental-backend-bbolt-freelist-type", FlagKind.String, Experimental, "Freelist type of etcd's bbolt backend: 'array' or 'map'.") { HoconPath = "experimental.backend-bbolt-freelist-type", YamlKey = "experimental-backend-bbolt-freelist-type" },
            new("experimental-enable-lease-checkpoint", FlagKind.Bool, Experimental, "Leader sends lease checkpoints so remaining TTLs survive a leader change.") { HoconPath = "experimental.enable-lease-checkpoint", YamlKey = "experimental-enable-lease-checkpoint", YamlType = "bool" },
            new("experimental-enable-lease-checkpoint-persist", FlagKind.Bool, Experimental, "Persist lease checkpoints (needs experimental-enable-lease-checkpoint).") { HoconPath = "experimental.enable-lease-checkpoint-persist", YamlKey = "experimental-enable-lease-checkpoint-persist", YamlType = "bool" },
            new("experimental-compaction-batch-limit", FlagKind.Integer, Experimental, "Most revisions deleted in one compaction batch.") { HoconPath = "experimental.compaction-batch-limit", YamlKey = "experimental-compaction-batch-limit", YamlType = "int", Min = int.MinValue, Max = IntMax },
            new("experimental-peer-skip-client-san-verification", FlagKind.Bool, Experimental, "Do not check the SAN of client certificates on peer connections.") { HoconPath = "security.peer.skip-client-san-verification", Implemented = true },
            new("experimental-watch-progress-notify-interval", FlagKind.Duration, Experimental, "Interval of progress notifications sent to watchers.") { HoconPath = "experimental.watch-progress-notify-interval", YamlKey = "experimental-watch-progress-notify-interval", YamlType = "time.Duration", Implemented = true },
            new("experimental-warning-apply-duration", FlagKind.Duration, Experimental, "Log a warning when applying a request takes longer than this.") { HoconPath = "experimental.warning-apply-duration", YamlKey = "experimental-warning-apply-duration", YamlType = "time.Duration" },

            // Unsafe
            new("unsafe-no-fsync", FlagKind.Bool, Hidden, "Never fsync: fast, and loses data on a crash.") { HoconPath = "unsafe.no-fsync", YamlKey = "unsafe-no-fsync", YamlType = "bool" },
            new("force-new-cluster", FlagKind.Bool, Unsafe, "Restart as a single-member cluster, dropping the other members.") { HoconPath = "unsafe.force-new-cluster", YamlKey = "force-new-cluster", YamlType = "bool" },

            // Deprecated
            new("debug", FlagKind.Bool, Deprecated, "Log at debug level; use --log-level=debug instead.") { HoconPath = "log.debug", YamlKey = "debug", YamlType = "bool", Implemented = true },
            new("log-package-levels", FlagKind.String, Deprecated, "Per-package log levels for capnslog (e.g. 'etcdmain=CRITICAL').") { HoconPath = "log.package-levels", YamlKey = "log-package-levels" },
            new("log-output", FlagKind.UniqueStrings, Hidden, "Old name of --log-outputs.") { HoconPath = "log.output", YamlKey = "log-output", YamlType = "[]string", Implemented = true },

            new(VersionFlag, FlagKind.Bool, Hidden, "Print the version and exit.") { Implemented = true },

            // ActorStore's own settings: HOCON and ACTORSTORE_ variables only.
            new("journal-plugin", FlagKind.String, Own, "Journal plugin holding the Raft log.") { HoconPath = "persistence.journal.plugin", IsFlag = false, Implemented = true },
            new("journal-connection-string", FlagKind.String, Own, "Connection string of the sql journal plugin's database.") { HoconPath = "persistence.journal.connection-string", IsFlag = false, Implemented = true },
            new("journal-provider-name", FlagKind.String, Own, "linq2db provider name of the sql journal plugin's database.") { HoconPath = "persistence.journal.provider-name", IsFlag = false, Implemented = true },
            new("mailbox-throughput", FlagKind.Integer, Own, "Messages an actor handles per turn before yielding its thread.") { HoconPath = "actor.mailbox.throughput", IsFlag = false, Implemented = true, Min = 1, Max = IntMax },
        ];

        foreach (var ignored in IgnoredFlags)
        {
            specs.Add(new FlagSpec(ignored, FlagKind.Ignored, Hidden, "No longer supported; ignored."));
        }

        return specs;
    }
}
