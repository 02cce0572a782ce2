using System.Runtime.InteropServices;
using ActorStore.Configuration;
using ActorStore.Discovery;
using ActorStore.Gateway.Etcd;
using ActorStore.Gateway.Grpc;
using ActorStore.Gateway.Json;
using ActorStore.Gateway.Tls;
using ActorStore.Gateway.V2;
using ActorStore.Hosting;
using ActorStore.Logging;
using ActorStore.Server;
using ActorStore.Server.Peers;
using Microsoft.Extensions.Logging;

namespace ActorStore;

/// <summary>
/// `actorstore [flags]`: reads etcd's flags, environment and config files, starts one member and its client
/// gateway, and serves until SIGTERM or SIGINT. Configuration errors exit 1 before anything on disk is touched.
/// </summary>
public static class MemberProgram
{
    /// <summary>grpc-go lets a request message exceed --max-request-bytes by this much before refusing it; etcd too.</summary>
    private const long GrpcOverheadBytes = 512 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var result = ConfigLoader.Load(args, ConfigLoader.ProcessEnvironment(), HoldsMember);
        switch (result)
        {
            case HelpRequested help:
                await Console.Error.WriteAsync(help.Usage);
                await Console.Out.WriteAsync(help.Flags);
                return 0;
            case VersionRequested version:
                await Console.Out.WriteAsync(version.Text);
                return 0;
            case ConfigLoadFailed failed:
                await Console.Error.WriteLineAsync(failed.Message);
                if (failed.ShowUsage)
                {
                    await Console.Error.WriteAsync(failed.Usage);
                }
                return 1;
            case ConfigLoaded loaded:
                return await ServeAsync(loaded);
            default:
                throw new InvalidOperationException("unexpected configuration result " + result.GetType().Name);
        }
    }

    private static async Task<int> ServeAsync(ConfigLoaded loaded)
    {
        var config = loaded.Config;
        TextWriter logOutput;
        try
        {
            logOutput = LogOutputs.Open(config.LogOutputs);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        await using var ownedLogOutput = logOutput == Console.Error || logOutput == Console.Out ? null : logOutput;
        using var loggers = LoggingSetup.CreateLoggerFactory(config.EffectiveLogLevel, logOutput);
        var log = loggers.CreateLogger("etcdmain");
        foreach (var notice in loaded.Notices)
        {
            notice.WriteTo(log);
        }
        foreach (var flag in loaded.FlagsWithoutEffectYet)
        {
            log.LogWarning("--{flag} is accepted but has no effect yet", flag);
        }
        log.LogInformation(
            "starting actorstore {version} as {name} in {data-dir}", EtcdVersions.Server, config.Name, config.DataDir);

        using var stopping = new CancellationTokenSource();
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        if (config.DiscoverySrv.Length > 0 && !HoldsMember(config.DataDir))
        {
            var (fromSrv, srvError) = await SrvBootstrap.ApplyAsync(config, ConfigLoader.ProcessEnvironment(), log, stopping.Token);
            if (fromSrv is null)
            {
                log.LogWarning("failed to start etcd {error}", srvError);
                log.LogCritical("discovery failed {error}", srvError);
                return 1;
            }
            config = fromSrv;
        }

        // Or from a discovery URL (the configuration allows one bootstrap method at a time).
        var (discovered, discoveryError) = await DiscoveryBootstrap.ResolveAsync(
            config, HoldsMember(config.DataDir), loggers.CreateLogger("discovery"), TimeProvider.System, stopping.Token);
        if (discovered is null)
        {
            await Console.Error.WriteLineAsync(discoveryError);
            return 1;
        }
        config = discovered;

        // The client server is built while the member starts (it is mostly one-time JIT work) and listens once the
        // member has: etcd too readies its client listeners before its server, and serves once the server runs.
        var memberDirectory = Path.Combine(config.DataDir, "member");
        var selfSocket = SelfGrpcChannel.SocketPath(memberDirectory);
        using var selfChannel = SelfGrpcChannel.Create(selfSocket);
        using var removeSocket = new SocketRemoval(selfSocket, memberDirectory);
        EtcdMember? started = null;
        EtcdMember Member() => started ?? throw new InvalidOperationException("the member has not started");
        ClientTlsSetup? clientTls;
        try
        {
            clientTls = StartClientTls(config, loggers);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogCritical("cannot serve clients on {listen-client-urls}: {error}",
                string.Join(",", config.ListenClientUrls.Select(url => url.OriginalString)), e.Message);
            return 1;
        }
        var preparing = Task.Run(() => GrpcHost.Prepare(new GrpcHostOptions
        {
            Urls = config.ListenClientUrls.Select(url => url.OriginalString).ToArray(),
            MapServices = EtcdServices.Map,
            Server = new GrpcServerOptions
            {
                MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, config.MaxRequestBytes + GrpcOverheadBytes),
                MaxConcurrentStreams = (int)Math.Min(int.MaxValue, config.MaxConcurrentStreams),
                KeepAliveMinTime = config.GrpcKeepAliveMinTime,
                KeepAlivePingDelay = config.GrpcKeepAliveInterval,
                KeepAlivePingTimeout = config.GrpcKeepAliveTimeout,
                UnimplementedMessage = EtcdServices.UnimplementedMessage,
            },
            ConfigureServices = services => EtcdServices.Add(services, Member, extensiveMetrics: config.Metrics == "extensive"),
            ConfigureApplication = app =>
            {
                var serving = Member();
                app.UseEtcdAccessControl(
                    new EtcdAccessRules(config.Cors, config.HostWhitelist,
                        () => config.ClientSecurity.ClientCertAuth && config.EnableGrpcGateway && serving.Auth.State.Enabled),
                    log);
                app.UseEtcdHttpEndpoints(serving);
                if (config.EnableV2)
                {
                    app.UseEtcdV2(serving);
                }
                if (config.EnableGrpcGateway)
                {
                    app.UseEtcdJsonGateway(selfChannel.CreateCallInvoker());
                }
            },
            SelfCallSocketPath = config.EnableGrpcGateway ? selfSocket : null,
            ConfigureEndpoint = clientTls is null ? null : clientTls.ConfigureEndpoint,
            LoggerFactory = clientTls?.WatchKestrelLogs(loggers) ?? loggers,
        }), CancellationToken.None);

        EtcdMember member;
        try
        {
            member = await EtcdMember.StartAsync(ToMemberOptions(config) with { Hocon = loaded.Hocon }, loggers, stopping.Token);
        }
        catch (Exception e)
        {
            await DisposeUnstartedAsync(preparing);
            if (e is OperationCanceledException)
            {
                throw;
            }
            log.LogCritical("cannot start member {name} on {data-dir}: {error}", config.Name, config.DataDir, e.Message);
            return 1;
        }
        started = member;

        await using (member)
        {
            member.Metrics.SetQuota(config.QuotaBackendBytes);
            GrpcHost host;
            try
            {
                host = await (await preparing).StartAsync(stopping.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogCritical("cannot serve clients on {listen-client-urls}: {error}",
                    string.Join(",", config.ListenClientUrls.Select(url => url.OriginalString)), e.Message);
                return 1;
            }

            GrpcHost? metricsHost;
            try
            {
                metricsHost = await StartMetricsListenerAsync(config, member, clientTls, loggers, stopping.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await host.DisposeAsync();
                log.LogCritical("cannot serve metrics on {listen-metrics-urls}: {error}",
                    string.Join(",", config.ListenMetricsUrls.Select(url => url.OriginalString)), e.Message);
                return 1;
            }

            await using (host)
            await using (metricsHost)
            {
                log.LogInformation("serving client requests on {listen-client-urls}",
                    string.Join(",", host.Addresses.Select(address => address.ToString())));
                foreach (var address in host.Addresses)
                {
                    if (address.Scheme == Uri.UriSchemeHttps)
                    {
                        log.LogInformation("serving client traffic securely {address}", address.Authority);
                    }
                    else
                    {
                        log.LogInformation("serving client traffic insecurely; this is strongly discouraged! {address}", address.Authority);
                    }
                }
                await using var systemd = SystemdNotifier.FromEnvironment();
                if (systemd is not null)
                {
                    // etcd tells systemd once the member is ready: listening and published to the cluster.
                    _ = member.Published.ContinueWith(
                        published => published.IsCompletedSuccessfully ? systemd.ReadyAsync() : Task.CompletedTask,
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
                }

                var stopSignal = Task.Delay(Timeout.Infinite, stopping.Token);
                var ended = await Task.WhenAny(stopSignal, member.Removed, member.RaftStopped);
                if (systemd is not null)
                {
                    await systemd.StoppingAsync();
                }

                if (ended == member.RaftStopped)
                {
                    log.LogCritical("the raft member stopped (see the error above); shutting down");
                    return 1;
                }
                if (ended == member.Removed)
                {
                    log.LogWarning("the member has been permanently removed from the cluster; shutting down");
                }
                else
                {
                    log.LogInformation("received a stop signal; shutting down");
                }
            }
        }
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    /// <summary>
    /// etcd's --listen-metrics-urls: listeners that serve only /metrics and the health endpoints, https:// ones with
    /// the client TLS settings. Null when none are given.
    /// </summary>
    private static async Task<GrpcHost?> StartMetricsListenerAsync(
        MemberConfig config, EtcdMember member, ClientTlsSetup? clientTls, ILoggerFactory loggers, CancellationToken ct)
    {
        if (config.ListenMetricsUrls.Count == 0)
        {
            return null;
        }
        var host = await GrpcHost.StartAsync(new GrpcHostOptions
        {
            Urls = config.ListenMetricsUrls.Select(url => url.OriginalString).ToArray(),
            MapServices = static _ => { },
            ConfigureApplication = app => app.UseEtcdHttpEndpoints(member, metricsListener: true),
            ConfigureEndpoint = clientTls is null ? null : clientTls.ConfigureEndpoint,
            LoggerFactory = loggers,
        }, ct);
        var log = loggers.CreateLogger("embed");
        foreach (var address in host.Addresses)
        {
            log.LogInformation("serving metrics {address}", address.ToString());
        }
        return host;
    }

    /// <summary>Releases a client server that was built but never started (the member did not start).</summary>
    private static async Task DisposeUnstartedAsync(Task<PreparedGrpcHost> preparing)
    {
        try
        {
            await (await preparing).DisposeAsync();
        }
        catch (Exception)
        {
            // It failed to build: there is nothing to release, and the member's own failure is what gets reported.
        }
    }

    /// <summary>Removes the gateway's socket when the member stops serving (after the hosts, being disposed later).</summary>
    private sealed class SocketRemoval(string socketPath, string memberDirectory) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                SelfGrpcChannel.DeleteSocket(socketPath, memberDirectory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a stale socket is replaced at the next start.
            }
        }
    }

    /// <summary>TLS for the https:// client URLs, as etcd logs it when it starts with client TLS; null without such URLs.</summary>
    private static ClientTlsSetup? StartClientTls(MemberConfig config, ILoggerFactory loggers)
    {
        if (ClientTlsConfig.ToClientTlsOptions(config) is not { } options)
        {
            return null;
        }
        var tls = ClientTlsSetup.Create(options, config.DataDir, ClientTlsConfig.Hosts(config), loggers.CreateLogger("embed"), TimeProvider.System);
        loggers.CreateLogger("embed").LogInformation("starting with client TLS {tls-info} {cipher-suites}", tls.Description, config.CipherSuites.ToArray());
        return tls;
    }

    /// <summary>A data dir that holds a member's database has been bootstrapped (or joined) before.</summary>
    private static bool HoldsMember(string dataDir) => File.Exists(Path.Combine(dataDir, "member", "actorstore.db"));

    /// <summary>What the member is started with; public so that tests can check the mapping.</summary>
    public static MemberOptions ToMemberOptions(MemberConfig config) => new()
    {
        Name = config.Name,
        DataDir = config.DataDir,
        AdvertiseClientUrls = config.AdvertiseClientUrls.Select(url => url.OriginalString).ToArray(),
        InitialAdvertisePeerUrls = config.InitialAdvertisePeerUrls.Select(url => url.OriginalString).ToArray(),
        ListenPeerUrls = config.ListenPeerUrls.Select(url => url.OriginalString).ToArray(),
        HeartbeatInterval = config.HeartbeatInterval,
        ElectionTicks = config.ElectionTicks,
        InitialCluster = config.InitialClusterMembers.ToDictionary(
            member => member.Name,
            member => (IReadOnlyList<string>)member.PeerUrls.Select(url => url.OriginalString).ToArray()),
        InitialClusterToken = config.InitialClusterToken,
        InitialClusterState = config.IsNewCluster ? "new" : "existing",
        MaxRequestBytes = config.MaxRequestBytes,
        MaxTxnOps = config.MaxTxnOps,
        QuotaBackendBytes = config.QuotaBackendBytes,
        InitialCorruptCheck = config.ExperimentalInitialCorruptCheck,
        CorruptCheckTime = config.ExperimentalCorruptCheckTime,
        SnapshotCount = config.SnapshotCount,
        JournalRetention = new ActorStore.Raft.Shell.RaftWalRetention(config.MaxSnapshots, config.MaxWals),
        WalDir = config.WalDir,
        WatchProgressNotifyInterval = config.ExperimentalWatchProgressNotifyInterval,
        PeerSecurity = ToPeerSecurity(config),
        AutoCompaction = CompactionRetention.TryParse(config.AutoCompactionMode, config.AutoCompactionRetention, out var compaction) is null ? compaction : null,
        BcryptCost = config.BcryptCost,
        AuthTokenTtl = TimeSpan.FromSeconds(config.AuthTokenTtlSeconds),
        ClientCertAuth = config.ClientSecurity.ClientCertAuth,
        ClientTrustedCaFile = config.ClientSecurity.TrustedCaFile,
        ClientCrlFile = config.ClientSecurity.CrlFile,
        ClientCertAllowedHostname = config.ClientSecurity.AllowedHostname,
        Jwt = AuthTokenOption.Parse(config.AuthToken, File.ReadAllText),
    };

    private static PeerSecurityOptions ToPeerSecurity(MemberConfig config)
    {
        var peer = config.PeerSecurity;
        return new PeerSecurityOptions
        {
            CertFile = peer.CertFile,
            KeyFile = peer.KeyFile,
            TrustedCaFile = peer.TrustedCaFile,
            ClientCertAuth = peer.ClientCertAuth,
            // As in etcd, given certificate files win over --peer-auto-tls.
            AutoTls = peer.AutoTls && !peer.HasCertificate,
            AllowedCn = peer.AllowedCn,
            AllowedHostname = peer.AllowedHostname,
            CrlFile = peer.CrlFile,
            SkipClientSanVerification = peer.SkipClientSanVerification,
            Https = config.ListenPeerUrls.Any(static url => url.Scheme is "https" or "unixs"),
        };
    }
}
