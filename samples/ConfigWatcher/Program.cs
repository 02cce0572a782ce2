using ActorStore.Client;
using Akka.Actor;
using Akka.Hosting;
using ConfigWatcher;
using Microsoft.Extensions.Hosting;

// A small Akka.NET service that keeps its configuration in ActorStore (README.md: how to run it).
var arguments = WatcherArguments.Parse(args);
var options = arguments.ToOptions();
var defaults = new Dictionary<string, string>
{
    ["greeting"] = "hello from config-watcher",
    ["interval-seconds"] = "10",
    ["log-level"] = "info",
};

var builder = Host.CreateApplicationBuilder();
builder.Services.AddActorStoreClient(options);
builder.Services.AddAkka("config-watcher", akka =>
{
    akka.ConfigureLoggers(loggers =>
    {
        loggers.ClearLoggers();
        loggers.AddLoggerFactory();
    });
    akka.WithActorStore(options);
    akka.WithActors((system, registry) =>
    {
        var store = new ActorStoreClient(registry.Get<ActorStoreClient>(), options);
        var settings = system.ActorOf(Props.Create(() => new SettingsActor()), "settings");
        system.ActorOf(Props.Create(() => new ConfigStoreActor(store, arguments.Prefix, defaults, settings)), "config-store");
    });
});

await builder.Build().RunAsync();
