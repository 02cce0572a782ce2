using ActorStore.Server.Peers;

namespace ActorStore.Server;

/// <summary>What a member needs to start; the program fills it from etcd's flags, environment and config files.</summary>
public sealed record MemberOptions
{
    public required string Name { get; init; }
    public required string DataDir { get; init; }
    public required IReadOnlyList<string> AdvertiseClientUrls { get; init; }
    public required IReadOnlyList<string> InitialAdvertisePeerUrls { get; init; }

    /// <summary>Where the member listens for its peers (etcd's --listen-peer-urls); the first one is used.</summary>
    public IReadOnlyList<string> ListenPeerUrls { get; init; } = ["http://127.0.0.1:0"];

    /// <summary>Member name to its peer URLs, as given by --initial-cluster.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> InitialCluster { get; init; }
    public string InitialClusterToken { get; init; } = "etcd-cluster";
    public string InitialClusterState { get; init; } = "new";

    public long MaxRequestBytes { get; init; } = 1536 * 1024;
    public int MaxTxnOps { get; init; } = 128;

    /// <summary>etcd's --quota-backend-bytes: 0 for the 2 GiB default, negative to turn the quota off.</summary>
    public long QuotaBackendBytes { get; init; }

    /// <summary>etcd's --experimental-initial-corrupt-check: a restarting member compares its hash with its peers' first.</summary>
    public bool InitialCorruptCheck { get; init; }

    /// <summary>etcd's --experimental-corrupt-check-time: how often the leader compares hashes across members (0: never).</summary>
    public TimeSpan CorruptCheckTime { get; init; }

    /// <summary>Applied entries between two snapshots of the keyspace (etcd's --snapshot-count).</summary>
    public long SnapshotCount { get; init; } = 100_000;

    /// <summary>
    /// Snapshots and stretches of journal between snapshots kept (etcd's --max-snapshots and --max-wals; 0 keeps all).
    /// One of each unless the flags say otherwise.
    /// </summary>
    public Raft.Shell.RaftWalRetention JournalRetention { get; init; } = Raft.Shell.RaftWalRetention.LatestOnly;

    /// <summary>etcd's --wal-dir: where the embedded journal's database lives; empty for the data dir.</summary>
    public string WalDir { get; init; } = "";

    /// <summary>Entries kept in the journal behind a snapshot, for members that lag a little.</summary>
    public long SnapshotCatchUpEntries { get; init; } = 5_000;

    /// <summary>One Raft tick (etcd's --heartbeat-interval).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without a leader's word before a follower campaigns (etcd's --election-timeout / heartbeat).</summary>
    public int ElectionTicks { get; init; } = 10;

    /// <summary>How long a request may wait to be applied before it answers "request timed out".</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>How often watchers that asked for progress hear the revision when nothing happened (etcd's --experimental-watch-progress-notify-interval).</summary>
    public TimeSpan WatchProgressNotifyInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>etcd's --auto-compaction-mode and --auto-compaction-retention; null keeps all history (retention 0).</summary>
    public Compaction.AutoCompactionSettings? AutoCompaction { get; init; }

    /// <summary>Cost of the bcrypt hashes of passwords (etcd's --bcrypt-cost).</summary>
    public int BcryptCost { get; init; } = 10;

    /// <summary>How long a simple token lives without use (etcd's --auth-token-ttl).</summary>
    public TimeSpan AuthTokenTtl { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>JWT tokens (--auth-token jwt,...); null for etcd's default, simple tokens.</summary>
    public Auth.JwtSettings? Jwt { get; init; }

    /// <summary>With --client-cert-auth, a call without a token acts as its client certificate's common name (etcd's rule).</summary>
    public bool ClientCertAuth { get; init; }

    /// <summary>The CAs a client certificate must chain to (--trusted-ca-file); empty trusts the system's roots.</summary>
    public string ClientTrustedCaFile { get; init; } = "";

    /// <summary>Client certificates revoked (--client-crl-file); empty for none.</summary>
    public string ClientCrlFile { get; init; } = "";

    /// <summary>Accept only client certificates valid for this host name (--client-cert-allowed-hostname); empty for any.</summary>
    public string ClientCertAllowedHostname { get; init; } = "";

    /// <summary>TLS between members (etcd's --peer-* flags); plain TCP by default.</summary>
    public PeerSecurityOptions PeerSecurity { get; init; } = PeerSecurityOptions.None;

    /// <summary>
    /// The user's configuration (its akka section tunes the member's actor system and peer transport); the akka
    /// section of hocon/reference.conf is its fallback. Null uses the reference alone.
    /// </summary>
    public Akka.Configuration.Config? Hocon { get; init; }
}
