using ActorStore.Protocol.Text;
using Akka.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorStore.Configuration;

/// <summary>
/// Assembles a member's configuration the way etcd 3.4.23 does, with HOCON underneath. Layers, lowest first:
/// <list type="number">
/// <item>hocon/reference.conf (embedded);</item>
/// <item>--config-file (or ETCD_CONFIG_FILE): etcd's YAML, or HOCON when the name ends in .hocon (etcd users call
/// their YAML etcd.conf, so .conf means YAML). As in etcd, a YAML file stands alone: command-line flags and ETCD_
/// variables are then ignored (and a notice says so);</item>
/// <item>ETCD_&lt;FLAG&gt; variables (a variable whose flag is also on the command line is an error, as in etcd),
/// then ACTORSTORE_&lt;PATH&gt; variables for any setting with a HOCON path (these apply in every mode);</item>
/// <item>command-line flags.</item>
/// </list>
/// Then etcd's checks run, --initial-cluster and --data-dir get their name-derived defaults, and the initial cluster
/// is parsed and checked against --name and --initial-advertise-peer-urls.
/// </summary>
public static class ConfigLoader
{
    private const string EnvironmentPrefix = "ETCD_";
    private const string OwnEnvironmentPrefix = "ACTORSTORE_";

    public static ConfigLoadResult Load(string[] args, IReadOnlyDictionary<string, string?> environment) =>
        Load(args, environment, memberInitialized: null);

    /// <param name="memberInitialized">
    /// Whether a data dir already holds a member. Like etcd, a member that has been bootstrapped ignores the initial
    /// cluster flags (it reads its cluster from its data dir), so they are neither parsed nor checked then.
    /// </param>
    public static ConfigLoadResult Load(
        string[] args, IReadOnlyDictionary<string, string?> environment, Func<string, bool>? memberInitialized)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var notices = new List<ConfigNotice>();

        var commandLine = CommandLineParser.Parse(args);
        if (commandLine.Error is not null)
        {
            return new ConfigLoadFailed(commandLine.Error, ExitCode: 2, ShowUsage: true, UsageText.Usage);
        }

        var reference = ReferenceConfig.Load();
        var defaults = ReadDefaults(reference);
        if (commandLine.HelpRequested)
        {
            return new HelpRequested(UsageText.Usage, UsageText.Flags(defaults));
        }

        if (commandLine.Positional.Count > 0)
        {
            return Fail($"'{commandLine.Positional[0]}' is not a valid flag", notices);
        }

        if (commandLine.LastValue(FlagCatalog.VersionFlag) is true)
        {
            return new VersionRequested(VersionText.Build());
        }

        foreach (var ignored in commandLine.IgnoredFlags)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, $"flag \"-{ignored}\" is no longer supported - ignoring."));
        }

        var configFile = commandLine.LastValue(FlagCatalog.ConfigFileFlag) as string;
        if (string.IsNullOrEmpty(configFile))
        {
            environment.TryGetValue(FlagCatalog.Get(FlagCatalog.ConfigFileFlag).EnvironmentVariable, out configFile);
        }

        var values = defaults;
        var defaultInitialCluster = values.String("initial-cluster");
        var hocon = reference;
        var overrides = new List<(FlagSpec Spec, object? Value)>();
        string? error;
        if (string.IsNullOrEmpty(configFile))
        {
            configFile = null;
            error = ApplyEnvironmentAndFlags(values, commandLine, environment, notices, overrides);
        }
        else if (IsHoconFile(configFile))
        {
            notices.Add(new ConfigNotice(LogLevel.Information, "loaded server configuration from a HOCON file; environment variables and command-line flags apply on top of it",
                [new("path", configFile)]));
            error = ApplyHoconFile(values, configFile, out hocon)
                ?? ApplyEnvironmentAndFlags(values, commandLine, environment, notices, overrides);
        }
        else
        {
            notices.Add(new ConfigNotice(LogLevel.Information, "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided",
                [new("path", configFile)]));
            error = ApplyYamlFile(values, configFile, commandLine, environment, notices, defaultInitialCluster)
                ?? ApplyOwnEnvironment(values, environment, notices, overrides);
        }

        error ??= EtcdConfigRules.Validate(values, notices)
            ?? RefuseUnbuilt(values)
            ?? ClientSecurityRules.ValidateCipherSuites(values)
            ?? PeerSecurityRules.Validate(values, notices)
            ?? ClientSecurityRules.Validate(values, notices);
        if (error is not null)
        {
            return Fail(error, notices);
        }

        EtcdConfigRules.ApplyNameDefaults(values, defaultInitialCluster, notices);
        error = EtcdConfigRules.ResolveInitialCluster(values, out var members);
        if (error is not null)
        {
            if (memberInitialized?.Invoke(values.String("data-dir")) != true)
            {
                return Fail(error, notices);
            }
            // Not needed by a member that restarts from its data dir; checked again if it turns out it never ran.
            members = [];
        }

        MemberConfig config;
        try
        {
            config = MemberConfigFactory.Create(values, members, configFile);
        }
        catch (UriFormatException exception)
        {
            return Fail($"invalid URL: {exception.Message}", notices);
        }

        var withoutEffect = FlagCatalog.All
            .Where(spec => spec.IsFlag && !spec.Implemented && spec.Kind != FlagKind.Ignored && spec.RefusedBecauseItChanges is null
                && values.IsExplicit(spec.Name) && values.DiffersFromDefault(spec.Name))
            .Select(static spec => spec.Name)
            .ToList();
        return new ConfigLoaded(config, withoutEffect) { Notices = notices, Hocon = WithOverrides(hocon, overrides) };
    }

    /// <summary>
    /// A setting that is not built yet but would change security or how the cluster forms refuses to start: run
    /// without it, a member would be less safe than asked, or three members given --discovery would each form a
    /// cluster of one.
    /// </summary>
    private static string? RefuseUnbuilt(SettingValues values)
    {
        foreach (var spec in FlagCatalog.All)
        {
            if (spec.RefusedBecauseItChanges is { } what && values.IsExplicit(spec.Name) && values.DiffersFromDefault(spec.Name))
            {
                return spec.NotBuiltBecause is { } why
                    ? $"--{spec.Name} ({Where(spec, values)}) is not supported by ActorStore: {why}; it changes {what}, so the member refuses to start rather than run without it"
                    : $"--{spec.Name} ({Where(spec, values)}) is not supported by ActorStore yet; it changes {what}, so the member refuses to start rather than run without it";
            }
        }

        return null;
    }

    private static string Where(FlagSpec spec, SettingValues values) => values.SourceOf(spec.Name) switch
    {
        SettingSource.CommandLine => "given on the command line",
        SettingSource.ConfigFile => "set in the configuration file",
        _ => $"set by {spec.EnvironmentVariable} or {spec.HoconEnvironmentVariable}",
    };

    /// <summary>etcd's YAML is the default, as etcd users name it etcd.conf or etcd.yml; HOCON must say so.</summary>
    private static bool IsHoconFile(string path) => path.EndsWith(".hocon", StringComparison.OrdinalIgnoreCase);

    /// <summary>ACTORSTORE_* variables as HOCON over the merged files, so the HOCON agrees with the settings.</summary>
    private static Config WithOverrides(Config hocon, List<(FlagSpec Spec, object? Value)> overrides)
    {
        if (overrides.Count == 0)
        {
            return hocon;
        }

        var text = string.Join('\n', overrides.Select(static o => $"{o.Spec.FullHoconPath} = {HoconLiteral(o.Value)}"));
        return ConfigurationFactory.ParseString(text).WithFallback(hocon);
    }

    private static string HoconLiteral(object? value) => value switch
    {
        IEnumerable<string> items when value is not string => "[" + string.Join(", ", items.Select(HoconQuote)) + "]",
        _ => HoconQuote(FlagValueParser.Render(value)),
    };

    private static string HoconQuote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The process environment as a dictionary, for <see cref="Load"/>.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    private static ConfigLoadFailed Fail(string message, List<ConfigNotice> notices) =>
        new(message, ExitCode: 1, ShowUsage: false, UsageText.Usage) { Notices = notices };

    private static SettingValues ReadDefaults(Config reference)
    {
        var values = new SettingValues();
        foreach (var spec in FlagCatalog.All)
        {
            if (spec.HoconPath is null)
            {
                continue;
            }

            var error = HoconSettingsReader.TryRead(spec, reference, "reference.conf", out var found, out var value);
            if (error is not null || !found)
            {
                throw new InvalidOperationException($"reference.conf is broken at {spec.FullHoconPath}: {error ?? "missing"}");
            }

            values.SetDefault(spec, value);
        }

        return values;
    }

    private static string? ApplyHoconFile(SettingValues values, string path, out Config merged)
    {
        var specs = FlagCatalog.All.Where(static spec => spec.HoconPath is not null).ToList();
        IReadOnlySet<string> userSet;
        string? error;
        try
        {
            error = HoconFiles.TryParseFile(path, ReferenceConfig.ReadText(), specs.Select(static s => s.FullHoconPath).ToList(), out merged, out userSet);
        }
        catch (IOException exception)
        {
            merged = Config.Empty;
            return OpenError(path, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            merged = Config.Empty;
            return OpenError(path, exception);
        }

        if (error is not null)
        {
            return error;
        }

        foreach (var spec in specs.Where(spec => userSet.Contains(spec.FullHoconPath)))
        {
            error = HoconSettingsReader.TryRead(spec, merged, path, out var found, out var value);
            if (error is not null)
            {
                return error;
            }

            if (found)
            {
                values.Set(spec, value, SettingSource.ConfigFile);
            }
        }

        return null;
    }

    private static string? ApplyYamlFile(
        SettingValues values,
        string path,
        CommandLine commandLine,
        IReadOnlyDictionary<string, string?> environment,
        List<ConfigNotice> notices,
        string defaultInitialCluster)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException exception)
        {
            return OpenError(path, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            return OpenError(path, exception);
        }

        var error = YamlConfigReader.TryRead(text, out var settings);
        if (error is not null)
        {
            return error;
        }

        foreach (var (spec, value) in settings.Values)
        {
            if (value is not null)
            {
                values.Set(spec, value, SettingSource.ConfigFile);
            }
        }

        if (settings.UnknownKeys.Count > 0)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "unknown keys in configuration file are ignored",
                [new("path", path), new("keys", settings.UnknownKeys)]));
        }

        var ignoredFlags = commandLine.Assignments.Select(static a => a.Spec.Name).Where(static n => n != FlagCatalog.ConfigFileFlag).Distinct().ToList();
        if (ignoredFlags.Count > 0)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "command-line flags ignored because a YAML configuration file is used",
                [new("flags", ignoredFlags)]));
        }

        var configFileVariable = FlagCatalog.Get(FlagCatalog.ConfigFileFlag).EnvironmentVariable;
        var ignoredVariables = environment.Keys
            .Where(k => k.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) && k != configFileVariable)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (ignoredVariables.Count > 0)
        {
            notices.Add(new ConfigNotice(LogLevel.Warning, "environment variables ignored because a YAML configuration file is used",
                [new("variables", ignoredVariables)]));
        }

        EtcdConfigRules.AdjustAfterYaml(values, defaultInitialCluster);
        return null;
    }

    /// <summary>
    /// etcd's environment rules: ETCD_&lt;FLAG&gt; sets a flag not given on the command line; a variable for a flag
    /// that is on the command line is an error; other ETCD_ variables draw a warning. Then the flags apply.
    /// </summary>
    private static string? ApplyEnvironmentAndFlags(
        SettingValues values,
        CommandLine commandLine,
        IReadOnlyDictionary<string, string?> environment,
        List<ConfigNotice> notices,
        List<(FlagSpec Spec, object? Value)> overrides)
    {
        var setOnCommandLine = commandLine.Assignments.Select(static a => a.Spec.EnvironmentVariable)
            .Concat(commandLine.IgnoredFlags.Select(static name => FlagCatalog.Get(name).EnvironmentVariable))
            .ToHashSet(StringComparer.Ordinal);
        var configFileVariable = FlagCatalog.Get(FlagCatalog.ConfigFileFlag).EnvironmentVariable;
        var used = new HashSet<string>(StringComparer.Ordinal) { configFileVariable };
        string? valueError = null;

        foreach (var spec in FlagCatalog.All.Where(static s => s.IsFlag).OrderBy(static s => s.Name, StringComparer.Ordinal))
        {
            var variable = spec.EnvironmentVariable;
            if (variable == configFileVariable || setOnCommandLine.Contains(variable)
                || !environment.TryGetValue(variable, out var text) || string.IsNullOrEmpty(text))
            {
                continue;
            }

            used.Add(variable);
            if (spec.Kind == FlagKind.Ignored)
            {
                notices.Add(new ConfigNotice(LogLevel.Warning, $"flag \"-{spec.Name}\" is no longer supported - ignoring."));
                continue;
            }

            var error = FlagValueParser.TryParse(spec, text, out var value);
            if (error is not null)
            {
                valueError ??= $"invalid value {GoQuote.Quote(text)} for {variable}: {error}";
                continue;
            }

            notices.Add(new ConfigNotice(LogLevel.Information, $"recognized and used environment variable {variable}={text}"));
            if (spec.Name != FlagCatalog.VersionFlag)
            {
                values.Set(spec, value, SettingSource.Environment);
            }
        }

        foreach (var (variable, text) in environment.OrderBy(static pair => pair.Key, StringComparer.Ordinal))
        {
            if (used.Contains(variable))
            {
                continue;
            }

            if (setOnCommandLine.Contains(variable))
            {
                return $"conflicting environment variable {GoQuote.Quote(variable)} is shadowed by corresponding command-line flag (either unset environment variable or disable flag)";
            }

            if (variable.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                notices.Add(new ConfigNotice(LogLevel.Warning, $"unrecognized environment variable {variable}={text}"));
            }
        }

        if (valueError is not null)
        {
            return valueError;
        }

        var ownError = ApplyOwnEnvironment(values, environment, notices, overrides);
        if (ownError is not null)
        {
            return ownError;
        }

        foreach (var (spec, value) in commandLine.Assignments)
        {
            if (spec.Name is not (FlagCatalog.VersionFlag or FlagCatalog.ConfigFileFlag))
            {
                values.Set(spec, value, SettingSource.CommandLine);
            }
        }

        EtcdConfigRules.AdjustAfterCommandLine(values);
        return null;
    }

    /// <summary>
    /// ACTORSTORE_&lt;PATH&gt; variables set any setting by its HOCON path, in every mode: over a YAML file, and over
    /// ETCD_ variables (the more specific name wins), under command-line flags.
    /// </summary>
    private static string? ApplyOwnEnvironment(
        SettingValues values, IReadOnlyDictionary<string, string?> environment, List<ConfigNotice> notices, List<(FlagSpec Spec, object? Value)> overrides)
    {
        var own = FlagCatalog.All.Where(static s => s.HoconEnvironmentVariable is not null).ToDictionary(static s => s.HoconEnvironmentVariable!, StringComparer.Ordinal);
        foreach (var (variable, text) in environment.OrderBy(static pair => pair.Key, StringComparer.Ordinal))
        {
            if (!variable.StartsWith(OwnEnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!own.TryGetValue(variable, out var spec))
            {
                notices.Add(new ConfigNotice(LogLevel.Warning, $"unrecognized environment variable {variable}={text}"));
                continue;
            }

            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var error = FlagValueParser.TryParse(spec, text, out var value);
            if (error is not null)
            {
                return $"invalid value {GoQuote.Quote(text)} for {variable}: {error}";
            }

            // A connection string may hold a password: the log says only that it was set.
            var shown = spec.Name == "journal-connection-string" ? "(set, not shown)" : text;
            notices.Add(new ConfigNotice(LogLevel.Information, $"recognized and used environment variable {variable}={shown}"));
            values.Set(spec, value, SettingSource.Environment);
            overrides.Add((spec, value));
        }

        return null;
    }

    private static string OpenError(string path, Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"open {path}: no such file or directory",
        UnauthorizedAccessException => $"open {path}: permission denied",
        _ => $"open {path}: {exception.Message}",
    };
}
