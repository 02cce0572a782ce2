using Microsoft.Extensions.Logging;
using Xunit;
using static ActorStore.Tests.Configuration.ConfigTestKit;

namespace ActorStore.Tests.Configuration;

public sealed class EnvironmentTests
{
    [Fact]
    public void Etcd_variables_set_flags_and_are_reported()
    {
        var loaded = Loaded(Load(Environment(("ETCD_NAME", "n1"), ("ETCD_PRE_VOTE", "true"), ("ETCD_INITIAL_CLUSTER_TOKEN", "tkn"))));

        Assert.Equal("n1", loaded.Config.Name);
        Assert.True(loaded.Config.PreVote);
        Assert.Equal("tkn", loaded.Config.InitialClusterToken);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Information && n.Message == "recognized and used environment variable ETCD_NAME=n1");
    }

    [Fact]
    public void Flags_apply_on_top_of_variables_for_other_settings()
    {
        var config = Loaded(Load(Environment(("ETCD_SNAPSHOT_COUNT", "10")), "--name", "n1")).Config;

        Assert.Equal("n1", config.Name);
        Assert.Equal(10, config.SnapshotCount);
    }

    [Fact]
    public void A_variable_shadowed_by_its_flag_is_an_error_as_in_etcd()
    {
        var failed = Failed(Load(Environment(("ETCD_NAME", "env")), "--name", "flag"));

        Assert.Equal("conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)", failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Unknown_etcd_variables_draw_a_warning()
    {
        var loaded = Loaded(Load(Environment(("ETCD_FOO", "1"), ("ETCDCTL_API", "3"), ("HOME", "/root"))));

        var warning = Assert.Single(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message.StartsWith("unrecognized", StringComparison.Ordinal));
        Assert.Equal("unrecognized environment variable ETCD_FOO=1", warning.Message);
    }

    [Fact]
    public void An_empty_variable_is_not_used()
    {
        var loaded = Loaded(Load(Environment(("ETCD_NAME", ""))));

        Assert.Equal("default", loaded.Config.Name);
        Assert.Contains(loaded.Notices, n => n.Message == "unrecognized environment variable ETCD_NAME=");
    }

    [Fact]
    public void A_bad_variable_value_names_the_variable()
    {
        var failed = Failed(Load(Environment(("ETCD_MAX_TXN_OPS", "abc"))));

        Assert.Equal("invalid value \"abc\" for ETCD_MAX_TXN_OPS: parse error", failed.Message);
        Assert.Equal(1, failed.ExitCode);
    }

    [Fact]
    public void Listen_client_urls_from_the_environment_need_advertise_urls_too()
    {
        var failed = Failed(Load(Environment(("ETCD_LISTEN_CLIENT_URLS", "http://127.0.0.1:2379"))));

        Assert.Equal("--advertise-client-urls is required when --listen-client-urls is set explicitly", failed.Message);
    }

    [Fact]
    public void ActorStore_variables_set_our_own_settings()
    {
        var loaded = Loaded(Load(Environment(
            ("ACTORSTORE_PERSISTENCE_JOURNAL_PLUGIN", "postgresql"),
            ("ACTORSTORE_ACTOR_MAILBOX_THROUGHPUT", "7"),
            ("ACTORSTORE_NOPE", "1"))));

        Assert.Equal("postgresql", loaded.Config.JournalPlugin);
        Assert.Equal(7, loaded.Config.MailboxThroughput);
        Assert.Contains(loaded.Notices, n => n.Level == LogLevel.Warning && n.Message == "unrecognized environment variable ACTORSTORE_NOPE=1");
    }

    [Fact]
    public void ActorStore_variables_are_checked()
    {
        var failed = Failed(Load(Environment(("ACTORSTORE_ACTOR_MAILBOX_THROUGHPUT", "0"))));

        Assert.Equal("invalid value \"0\" for ACTORSTORE_ACTOR_MAILBOX_THROUGHPUT: value out of range", failed.Message);
    }

    [Fact]
    public void Variables_count_as_given_for_flags_without_effect()
    {
        var loaded = Loaded(Load(Environment(("ETCD_ENABLE_PPROF", "true"))));

        Assert.Equal(["enable-pprof"], loaded.FlagsWithoutEffectYet);
    }
}
