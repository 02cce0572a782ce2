using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using ActorStore.Client;
using ActorStore.ClientBench;
using Akka.Actor;
using Akka.Hosting;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage:
//   ActorStore.ClientBench put --via actor|grpc --clients N --seconds S --members URLS --endpoints URLS --cacert F --cert F --key F
//   ActorStore.ClientBench watch-latency --via actor|grpc --puts N --rate R (same connection flags)
// Prints one line: "<workload> via=<via> clients=<N> requests=<n> rps=<r> p50_ms=<x> p99_ms=<y> max_ms=<z>".
var flags = BenchFlags.Parse(args);
var workload = args.Length > 0 ? args[0] : throw new ArgumentException("workload missing: put or watch-latency");

using var ca = X509CertificateLoader.LoadCertificateFromFile(flags.Require("cacert"));
using var certificate = X509Certificate2.CreateFromPemFile(flags.Require("cert"), flags.Require("key"));
var endpoints = flags.Require("endpoints").Split(',');
using var channel = GrpcChannel.ForAddress(endpoints[0], new GrpcChannelOptions { HttpHandler = Handler(ca, certificate) });
var kv = new KV.KVClient(channel);

IHost? host = null;
ActorStoreClient? actors = null;
if (flags.Get("via", "actor") == "actor")
{
    var options = new ActorStoreClientOptions { Certificate = certificate, ClientName = "bench" };
    options.TrustedCertificates.Add(ca);
    foreach (var member in flags.Require("members").Split(','))
    {
        options.Members.Add(member);
    }
    host = new HostBuilder()
        .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
        .ConfigureServices(services => services.AddActorStoreClient(options).AddAkka("bench", builder => builder
            .ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel)
            .WithActorStore(options)))
        .Build();
    await host.StartAsync();
    actors = host.Services.GetRequiredService<ActorStoreClient>();
}

try
{
    var result = workload switch
    {
        "put" => await PutLoad.RunAsync(actors, kv, int.Parse(flags.Get("clients", "16"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(flags.Get("seconds", "10"), CultureInfo.InvariantCulture))),
        "watch-latency" => await WatchLatency.RunAsync(actors, host?.Services.GetRequiredService<ActorSystem>(), channel, kv,
            int.Parse(flags.Get("puts", "1000"), CultureInfo.InvariantCulture), int.Parse(flags.Get("rate", "200"), CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException("unknown workload " + workload),
    };
    Console.WriteLine($"{workload} via={flags.Get("via", "actor")} clients={flags.Get("clients", "1")} {result}");
}
finally
{
    if (host is not null)
    {
        await host.StopAsync();
        host.Dispose();
    }
}

static SocketsHttpHandler Handler(X509Certificate2 ca, X509Certificate2 certificate)
{
    var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
    handler.SslOptions.ClientCertificates = [certificate];
    handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(presented));
    };
    return handler;
}
