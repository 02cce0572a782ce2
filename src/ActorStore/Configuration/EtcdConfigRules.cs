using ActorStore.Protocol.Text;
using Microsoft.Extensions.Logging;

namespace ActorStore.Configuration;

/// <summary>
/// The checks and adjustments etcd 3.4.23 makes once all layers are read, in etcd's order and with etcd's messages.
/// </summary>
internal static class EtcdConfigRules
{
    public const int MaxElectionMs = 50_000;
    private static readonly IReadOnlyList<string> LogLevels = ["debug", "info", "warn", "error", "dpanic", "panic", "fatal"];

    public static bool MayBeProxy(SettingValues values) =>
        values.String("proxy") != "off" || (values.String("discovery").Length > 0 && values.String("discovery-fallback") == "proxy");

    /// <summary>What etcd does after reading flags and environment (not after a YAML file).</summary>
    public static void AdjustAfterCommandLine(SettingValues values)
    {
        // Listening on explicit client URLs without saying how to reach them is an error, not a silent default.
        var missingAdvertise = values.IsExplicit("listen-client-urls") && !values.IsExplicit("advertise-client-urls");
        if (!MayBeProxy(values) && missingAdvertise)
        {
            values.Replace("advertise-client-urls", new List<string>());
        }

        if ((values.String("discovery").Length > 0 || values.String("discovery-srv").Length > 0 || values.String("discovery-srv-name").Length > 0)
            && !values.IsExplicit("initial-cluster"))
        {
            values.Replace("initial-cluster", "");
        }
    }

    /// <summary>What etcd does after reading a YAML file.</summary>
    public static void AdjustAfterYaml(SettingValues values, string defaultInitialCluster)
    {
        if ((values.String("discovery").Length > 0 || values.String("discovery-srv").Length > 0)
            && values.String("initial-cluster") == defaultInitialCluster)
        {
            values.Replace("initial-cluster", "");
        }
    }

    /// <summary>etcd's configuration checks; returns the first failure.</summary>
    public static string? Validate(SettingValues values, List<ConfigNotice> notices)
    {
        var loggingError = ValidateLogging(values, notices);
        if (loggingError is not null)
        {
            return loggingError;
        }

        var bindError = EtcdUrls.CheckBindable(values.List("listen-peer-urls"))
            ?? EtcdUrls.CheckBindable(values.List("listen-client-urls"))
            ?? EtcdUrls.CheckBindable(values.List("listen-metrics-urls"));
        if (bindError is not null)
        {
            return bindError;
        }

        foreach (var name in (string[])["initial-advertise-peer-urls", "advertise-client-urls"])
        {
            var urls = values.List(name);
            var hostError = EtcdUrls.CheckHasHost(urls);
            if (hostError is not null)
            {
                return $"--{name} {GoQuote.Quote(string.Join(',', urls))} must be \"host:port\" ({hostError})";
            }
        }

        var bootstrapMethods = new[] { values.String("discovery"), values.String("initial-cluster"), values.String("discovery-srv") }
            .Count(static v => v.Length > 0);
        var clusterState = values.String("initial-cluster-state");
        if (clusterState is not ("new" or "existing"))
        {
            return $"unexpected clusterState {GoQuote.Quote(clusterState)}";
        }

        if (bootstrapMethods > 1)
        {
            return "multiple discovery or bootstrap flags are set. Choose one of \"initial-cluster\", \"discovery\" or \"discovery-srv\"";
        }

        var tick = values.Long("heartbeat-interval");
        var election = values.Long("election-timeout");
        if (tick <= 0)
        {
            return $"--heartbeat-interval must be >0 (set to {tick}ms)";
        }

        if (election <= 0)
        {
            return $"--election-timeout must be >0 (set to {election}ms)";
        }

        if (5 * tick > election)
        {
            return $"--election-timeout[{election}ms] should be at least as 5 times as --heartbeat-interval[{tick}ms]";
        }

        if (election > MaxElectionMs)
        {
            return $"--election-timeout[{election}ms] is too long, and should be set less than {MaxElectionMs}ms";
        }

        if (values.List("listen-client-urls").Count > 0 && values.List("advertise-client-urls").Count == 0 && !MayBeProxy(values))
        {
            return "--advertise-client-urls is required when --listen-client-urls is set explicitly";
        }

        var compactionMode = values.String("auto-compaction-mode");
        if (compactionMode is not ("" or "periodic" or "revision"))
        {
            return $"unknown auto-compaction-mode {GoQuote.Quote(compactionMode)}";
        }

        var retentionError = CompactionRetention.TryParse(
            compactionMode == "revision" ? AutoCompactionMode.Revision : AutoCompactionMode.Periodic, values.String("auto-compaction-retention"), out _);
        if (retentionError is not null)
        {
            return retentionError;
        }

        var checkpoint = values.Bool("experimental-enable-lease-checkpoint");
        var persist = values.Bool("experimental-enable-lease-checkpoint-persist");
        if (checkpoint && !persist)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "Detected that checkpointing is enabled without persistence. Consider enabling experimental-enable-lease-checkpoint-persist"));
        }

        if (persist && !checkpoint)
        {
            return "setting experimental-enable-lease-checkpoint-persist requires experimental-enable-lease-checkpoint";
        }

        if (values.String("journal-plugin").Length == 0)
        {
            return "actorstore.persistence.journal.plugin must name a journal plugin (for example \"sqlite\")";
        }

        return null;
    }

    private static string? ValidateLogging(SettingValues values, List<ConfigNotice> notices)
    {
        var outputs = values.List("log-outputs");
        var deprecatedOutputs = values.List("log-output");
        var deprecatedSet = values.IsExplicit("log-output") && !deprecatedOutputs.SequenceEqual(["default"]);
        if (deprecatedSet)
        {
            if (values.IsExplicit("log-outputs") && !outputs.SequenceEqual(["default"]))
            {
                return "both '--log-output' and '--log-outputs' are set; only set '--log-outputs'";
            }

            notices.Add(new ConfigNotice(LogLevel.Warning, "'--log-output' flag has been deprecated! Please use '--log-outputs'!"));
            values.Replace("log-outputs", deprecatedOutputs.ToList());
            outputs = deprecatedOutputs;
        }

        if (values.Bool("debug"))
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "deprecated '--debug' flag is set; use '--log-level=debug' instead"));
        }

        switch (values.String("logger"))
        {
            case "capnslog":
                if (outputs.Count != 1)
                {
                    return $"--logger=capnslog supports only 1 value in '--log-outputs', got {GoQuote.QuoteList(outputs)}";
                }

                if (outputs[0] is not ("default" or "stderr" or "stdout"))
                {
                    return $"unknown log-output {GoQuote.Quote(outputs[0])} (only supports \"default\", \"stderr\", \"stdout\")";
                }

                break;
            case "zap":
                if (ActorStore.Logging.LogOutputs.Validate(outputs) is { } outputsError)
                {
                    return outputsError;
                }

                break;
            default:
                return $"unknown logger option {GoQuote.Quote(values.String("logger"))}";
        }

        var level = values.String("log-level");
        if (!LogLevels.Contains(level))
        {
            return $"invalid value {GoQuote.Quote(level)} for --log-level: unknown level (only supports debug, info, warn, error, dpanic, panic, or fatal)";
        }

        return null;
    }

    /// <summary>etcd derives --initial-cluster from --name when only the name was changed, and --data-dir from the name.</summary>
    public static void ApplyNameDefaults(SettingValues values, string defaultInitialCluster, List<ConfigNotice> notices)
    {
        var name = values.String("name");
        if (name != "default" && values.String("initial-cluster") == defaultInitialCluster)
        {
            var memberName = name.Length == 0 ? "default" : name;
            var derived = string.Join(',', values.List("initial-advertise-peer-urls").Select(url => $"{memberName}={url}"));
            values.Replace("initial-cluster", derived);
        }

        if (values.String("data-dir").Length == 0)
        {
            var dataDir = $"{name}.etcd";
            values.Replace("data-dir", dataDir);
            notices.Add(new ConfigNotice(LogLevel.Warning, "'data-dir' was empty; using default", [new("data-dir", dataDir)]));
        }
    }

    /// <summary>
    /// Parses --initial-cluster and makes the checks etcd makes before bootstrapping a member: the local name is
    /// listed, its URLs match --initial-advertise-peer-urls (new clusters), no URL appears twice.
    /// </summary>
    public static string? ResolveInitialCluster(SettingValues values, out List<(string Name, List<string> Urls)> members)
    {
        members = [];
        var name = values.String("name");
        var advertised = values.List("initial-advertise-peer-urls").ToList();
        var discovery = values.String("discovery");
        if (discovery.Length > 0)
        {
            // The discovery service assembles the cluster; until then the member only knows itself.
            members = [(name, advertised)];
        }
        else if (values.String("discovery-srv").Length > 0)
        {
            return null;
        }
        else
        {
            var error = EtcdUrls.TryParseInitialCluster(values.String("initial-cluster"), out members);
            if (error is not null)
            {
                return $"error setting up initial cluster: {error}";
            }
        }

        var local = members.FirstOrDefault(m => m.Name == name);
        if (local.Urls is null)
        {
            return $"couldn't find local name {GoQuote.Quote(name)} in the initial cluster configuration";
        }

        var isNew = values.String("initial-cluster-state") == "new";
        if (isNew)
        {
            var mismatch = CheckAdvertiseMatchesCluster(name, local.Urls, advertised);
            if (mismatch is not null)
            {
                return mismatch;
            }
        }

        var allUrls = members.SelectMany(static m => m.Urls).ToList();
        if (allUrls.Count != allUrls.Distinct(StringComparer.Ordinal).Count())
        {
            return $"initial cluster {EtcdUrls.Render(members)} has duplicate url";
        }

        if (isNew && members.Count == 0 && discovery.Length == 0)
        {
            return "initial cluster unset and no discovery URL found";
        }

        if (!isNew && discovery.Length > 0)
        {
            return "discovery URL should not be set when joining existing initial cluster";
        }

        return null;
    }

    private static string? CheckAdvertiseMatchesCluster(string name, List<string> clusterUrls, List<string> advertised)
    {
        var inCluster = clusterUrls.Order(StringComparer.Ordinal).ToList();
        var inAdvertise = advertised.Order(StringComparer.Ordinal).ToList();
        if (inCluster.SequenceEqual(inAdvertise, StringComparer.Ordinal))
        {
            return null;
        }

        // etcd resolves host names before comparing. Without a resolver here, "localhost" counts as 127.0.0.1 and
        // any other host name is given the benefit of the doubt.
        if (inCluster.Concat(inAdvertise).Any(static url => !IsAddressOrLocalhost(EtcdUrls.Host(url))))
        {
            return null;
        }

        var normalizedCluster = inCluster.Select(Normalize).Order(StringComparer.Ordinal).ToList();
        var normalizedAdvertise = inAdvertise.Select(Normalize).Order(StringComparer.Ordinal).ToList();
        if (normalizedCluster.SequenceEqual(normalizedAdvertise, StringComparer.Ordinal))
        {
            return null;
        }

        var reason = inCluster.Count != inAdvertise.Count
            ? $"len({GoQuote.QuoteList(inAdvertise)}) != len({GoQuote.QuoteList(inCluster)})"
            : FirstDifference(inAdvertise, inCluster);

        var missingFromAdvertise = inCluster.Where(url => !inAdvertise.Contains(url)).ToList();
        if (missingFromAdvertise.Count > 0)
        {
            var listed = string.Join(',', missingFromAdvertise.Select(url => $"{name}={url}"));
            return $"--initial-cluster has {listed} but missing from --initial-advertise-peer-urls={string.Join(',', inAdvertise)} ({reason})";
        }

        var missingFromCluster = inAdvertise.Where(url => !inCluster.Contains(url)).ToList();
        var umap = string.Join(',', inAdvertise.Select(url => $"{name}={url}"));
        return $"--initial-advertise-peer-urls has {string.Join(',', missingFromCluster)} but missing from --initial-cluster={umap}";
    }

    private static string FirstDifference(List<string> left, List<string> right)
    {
        for (var i = 0; i < left.Count; i++)
        {
            if (left[i] != right[i])
            {
                return $"resolved urls: {GoQuote.Quote(left[i])} != {GoQuote.Quote(right[i])}";
            }
        }

        return "resolved urls differ";
    }

    private static bool IsAddressOrLocalhost(string host) => host == "localhost" || System.Net.IPAddress.TryParse(host, out _);

    private static string Normalize(string url)
    {
        var host = EtcdUrls.Host(url);
        return host == "localhost" ? url.Replace("//localhost:", "//127.0.0.1:", StringComparison.Ordinal) : url;
    }
}
