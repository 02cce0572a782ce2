using ActorStore.Configuration;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--name=n1")]
    [InlineData("-name=n1")]
    [InlineData("--name", "n1")]
    [InlineData("-name", "n1")]
    public void Both_dash_styles_with_equals_or_space_set_a_flag(params string[] args)
    {
        Assert.Equal("n1", Config(args).Name);
    }

    [Theory]
    [InlineData(true, "--pre-vote")]
    [InlineData(true, "-pre-vote=true")]
    [InlineData(true, "--pre-vote=1")]
    [InlineData(false, "--pre-vote=false")]
    [InlineData(false, "--pre-vote=F")]
    public void Boolean_flags_take_no_argument_or_an_equals_value(bool expected, string arg)
    {
        Assert.Equal(expected, Config(arg).PreVote);
    }

    [Fact]
    public void A_boolean_flag_does_not_swallow_the_next_argument()
    {
        var failed = Failed(Load("--pre-vote", "false"));

        Assert.Equal("'false' is not a valid flag", failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Double_dash_ends_the_flags()
    {
        var failed = Failed(Load("--name", "a", "--", "--name", "b"));

        Assert.Equal("'--name' is not a valid flag", failed.Message);
    }

    [Fact]
    public void Later_flag_wins_over_earlier_one()
    {
        Assert.Equal("second", Config("--name=first", "--name=second").Name);
    }

    [Fact]
    public void Values_are_typed_like_go_flags()
    {
        var config = Config(
            "--max-txn-ops=0x10",
            "--snapshot-count", "1_000",
            "--grpc-keepalive-min-time", "1m30s",
            "--experimental-warning-apply-duration=250ms",
            "--quota-backend-bytes=-1",
            "--max-request-bytes", "10485760",
            "--initial-cluster-state=existing",
            "--auto-compaction-mode=revision");

        Assert.Equal(16, config.MaxTxnOps);
        Assert.Equal(1000, config.SnapshotCount);
        Assert.Equal(TimeSpan.FromSeconds(90), config.GrpcKeepAliveMinTime);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.ExperimentalWarningApplyDuration);
        Assert.Equal(-1, config.QuotaBackendBytes);
        Assert.Equal(10_485_760, config.MaxRequestBytes);
        Assert.Equal(ClusterState.Existing, config.InitialClusterState);
        Assert.Equal(AutoCompactionMode.Revision, config.AutoCompactionMode);
    }

    [Fact]
    public void Url_lists_are_sorted_and_deduplicated_like_etcd()
    {
        var config = Config(
            "--listen-client-urls", "http://127.0.0.1:2,http://127.0.0.1:1, http://127.0.0.1:2",
            "--advertise-client-urls", "HTTP://node1:2379");

        Assert.Equal(["http://127.0.0.1:1", "http://127.0.0.1:2"], Urls(config.ListenClientUrls));
        Assert.Equal(["http://node1:2379"], Urls(config.AdvertiseClientUrls));
    }

    [Fact]
    public void Unix_and_ipv6_urls_are_accepted()
    {
        var config = Config(
            "--listen-client-urls", "unix://localhost:12379,http://[::1]:2379",
            "--advertise-client-urls", "http://[::1]:2379");

        Assert.Equal(["http://[::1]:2379", "unix://localhost:12379"], Urls(config.ListenClientUrls));
        Assert.Equal("::1", config.AdvertiseClientUrls[0].Host.Trim('[', ']'));
    }

    [Fact]
    public void A_three_member_cluster_command_line_loads()
    {
        var config = Config(
            "--name", "m2",
            "--data-dir", "/var/lib/actorstore/m2",
            "--listen-peer-urls", "http://10.0.0.2:2380",
            "--initial-advertise-peer-urls", "http://10.0.0.2:2380",
            "--listen-client-urls", "http://10.0.0.2:2379,http://127.0.0.1:2379",
            "--advertise-client-urls", "http://10.0.0.2:2379",
            "--initial-cluster", "m1=http://10.0.0.1:2380,m2=http://10.0.0.2:2380,m3=http://10.0.0.3:2380",
            "--initial-cluster-token", "tkn",
            "--initial-cluster-state", "new");

        Assert.Equal("/var/lib/actorstore/m2", config.DataDir);
        Assert.Equal(["m1", "m2", "m3"], config.InitialClusterMembers.Select(static m => m.Name));
        Assert.Equal(["http://10.0.0.3:2380"], Urls(config.InitialClusterMembers[2].PeerUrls));
        Assert.Equal("tkn", config.InitialClusterToken);
    }

    [Fact]
    public void Help_lists_the_flags_with_their_defaults()
    {
        var help = Assert.IsType<HelpRequested>(Load("--help"));

        Assert.Contains("actorstore [flags]", help.Usage);
        Assert.Contains("  --name 'default'\n", help.Flags);
        Assert.Contains("  --data-dir '${name}.etcd'\n", help.Flags);
        Assert.Contains("  --heartbeat-interval '100'\n", help.Flags);
        Assert.Contains("  --max-request-bytes '1572864'\n", help.Flags);
        Assert.Contains("  --grpc-keepalive-interval '2h0m0s'\n", help.Flags);
        Assert.Contains("  --initial-cluster 'default=http://localhost:2380'\n", help.Flags);
        Assert.Contains("actorstore.persistence.journal.plugin 'sqlite'", help.Flags);
        Assert.IsType<HelpRequested>(Load("-h"));
        Assert.IsType<HelpRequested>(Load("--name", "x", "-help"));
    }

    [Fact]
    public void Version_prints_the_etcd_version_first()
    {
        var version = Assert.IsType<VersionRequested>(Load("--version"));

        Assert.StartsWith("etcd Version: 3.4.23\n", version.Text);
        Assert.Contains("ActorStore Version: ", version.Text);
    }

    [Fact]
    public void Ignored_legacy_flags_are_accepted_with_a_warning()
    {
        var loaded = Loaded(Load("--snapshot", "--name", "n1"));

        Assert.Equal("n1", loaded.Config.Name);
        Assert.Contains(loaded.Notices, n => n.Message == "flag \"-snapshot\" is no longer supported - ignoring.");
    }

    [Fact]
    public void Flags_without_effect_lists_only_given_unimplemented_flags_that_differ_from_default()
    {
        var loaded = Loaded(Load("--enable-pprof", "--pre-vote=false", "--name", "x", "--metrics=extensive", "--max-txn-ops=64"));

        // --metrics is built (basic or extensive), so only --enable-pprof is left without effect.
        Assert.Equal(["enable-pprof"], loaded.FlagsWithoutEffectYet);
    }

    [Theory]
    [InlineData("flag provided but not defined: -foo", 2, "--foo")]
    [InlineData("flag provided but not defined: -foo", 2, "--foo", "--help")]
    [InlineData("bad flag syntax: ---x", 2, "---x")]
    [InlineData("bad flag syntax: -=x", 2, "-=x")]
    [InlineData("flag needs an argument: -heartbeat-interval", 2, "--heartbeat-interval")]
    [InlineData("invalid value \"x\" for flag -max-txn-ops: parse error", 2, "--max-txn-ops", "x")]
    [InlineData("invalid value \"-1\" for flag -heartbeat-interval: parse error", 2, "--heartbeat-interval", "-1")]
    [InlineData("invalid value \"-5\" for flag -max-request-bytes: parse error", 2, "--max-request-bytes=-5")]
    [InlineData("invalid value \"-5\" for flag -snapshot-count: parse error", 2, "--snapshot-count", "-5")]
    [InlineData("invalid value \"99999999999\" for flag -max-txn-ops: value out of range", 2, "--max-txn-ops=99999999999")]
    [InlineData("invalid value \"5\" for flag -grpc-keepalive-min-time: parse error", 2, "--grpc-keepalive-min-time", "5")]
    [InlineData("invalid value \"weird\" for flag -initial-cluster-state: invalid value", 2, "--initial-cluster-state", "weird")]
    [InlineData("invalid boolean value \"maybe\" for -client-cert-auth: parse error", 2, "--client-cert-auth=maybe")]
    [InlineData("invalid value \"5000000000\" for flag -max-concurrent-streams: strconv.ParseUint: parsing \"5000000000\": value out of range", 2, "--max-concurrent-streams", "5000000000")]
    [InlineData("invalid value \"ftp://x:1\" for flag -listen-client-urls: URL scheme must be http, https, unix, or unixs: ftp://x:1", 2, "--listen-client-urls", "ftp://x:1")]
    [InlineData("invalid value \"http://x\" for flag -listen-peer-urls: URL address does not have the form \"host:port\": http://x", 2, "--listen-peer-urls", "http://x")]
    [InlineData("invalid value \"http://x:1/p\" for flag -advertise-client-urls: URL must not contain a path: http://x:1/p", 2, "--advertise-client-urls", "http://x:1/p")]
    [InlineData("invalid value \"127.0.0.1:2379\" for flag -listen-client-urls: parse \"127.0.0.1:2379\": first path segment in URL cannot contain colon", 2, "--listen-client-urls", "127.0.0.1:2379")]
    [InlineData("'bar' is not a valid flag", 1, "bar")]
    [InlineData("'x' is not a valid flag", 1, "--version", "x")]
    [InlineData("--advertise-client-urls is required when --listen-client-urls is set explicitly", 1, "--listen-client-urls=http://127.0.0.1:2")]
    [InlineData("expected IP in URL for binding (http://example.com:2)", 1, "--listen-client-urls", "http://example.com:2", "--advertise-client-urls", "http://x:1")]
    [InlineData("--initial-advertise-peer-urls \"http://:2380\" must be \"host:port\" (unexpected empty host (http://:2380))", 1, "--initial-advertise-peer-urls", "http://:2380")]
    [InlineData("--heartbeat-interval must be >0 (set to 0ms)", 1, "--heartbeat-interval", "0")]
    [InlineData("--election-timeout must be >0 (set to 0ms)", 1, "--election-timeout", "0")]
    [InlineData("--election-timeout[200ms] should be at least as 5 times as --heartbeat-interval[50ms]", 1, "--election-timeout", "200", "--heartbeat-interval", "50")]
    [InlineData("--election-timeout[60000ms] is too long, and should be set less than 50000ms", 1, "--election-timeout", "60000")]
    [InlineData("unknown auto-compaction-mode \"foo\"", 1, "--auto-compaction-mode", "foo")]
    [InlineData("unknown logger option \"foo\"", 1, "--logger", "foo")]
    [InlineData("invalid value \"loud\" for --log-level: unknown level (only supports debug, info, warn, error, dpanic, panic, or fatal)", 1, "--log-level", "loud")]
    [InlineData("--logger=capnslog supports only 1 value in '--log-outputs', got [\"stderr\" \"stdout\"]", 1, "--log-outputs", "stdout,stderr")]
    [InlineData("multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"", 1, "--discovery", "https://discovery.example/x", "--initial-cluster", "default=http://localhost:2380")]
    [InlineData("setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint", 1, "--experimental-enable-lease-checkpoint-persist")]
    [InlineData("couldn't find local name \"b\" in the initial cluster configuration", 1, "--initial-cluster", "a=http://localhost:2380", "--name", "b")]
    [InlineData("couldn't find local name \"b\" in the initial cluster configuration", 1, "--initial-cluster", "a=http://localhost:2380", "--name", "b", "--initial-cluster-state", "existing")]
    [InlineData("error setting up initial cluster: URL scheme must be http, https, unix, or unixs: foo", 1, "--initial-cluster", "a=foo")]
    [InlineData("--initial-cluster has default=http://localhost:2381 but missing from --initial-advertise-peer-urls=http://localhost:2380 (resolved urls: \"http://localhost:2380\" != \"http://localhost:2381\")", 1, "--initial-cluster", "default=http://localhost:2381")]
    [InlineData("initial cluster a=http://10.0.0.1:2380,default=http://10.0.0.1:2380,default=http://localhost:2380 has duplicate url", 1, "--initial-cluster", "default=http://localhost:2380,a=http://10.0.0.1:2380,default=http://10.0.0.1:2380", "--initial-cluster-state", "existing")]
    public void Bad_command_lines_fail_with_etcds_message(string message, int exitCode, params string[] args)
    {
        var failed = Failed(Load(args));

        Assert.Equal(message, failed.Message);
        Assert.Equal(exitCode, failed.ExitCode);
        Assert.Equal(exitCode == 2, failed.ShowUsage);
    }
}
