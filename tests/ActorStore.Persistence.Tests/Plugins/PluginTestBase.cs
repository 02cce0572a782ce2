namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Actor;
using Akka.Configuration;
using Xunit;
using Xunit.Abstractions;
using AkkaTestKit = Akka.TestKit.Xunit2.TestKit;

/// <summary>
/// A test kit whose ActorSystem runs the plugin under test on fresh storage, and helpers to start and stop more
/// systems (restarts) on the same or other storage. Derived classes say which plugin.
/// </summary>
public abstract class PluginTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<PluginStorage> _storages = [];
    private readonly List<ActorSystem> _systems = [];
    private AkkaTestKit? _kit;
    private PluginStorage? _storage;

    protected AkkaTestKit Kit => _kit ?? throw new InvalidOperationException("not initialized");

    protected ActorSystem Sys => Kit.Sys;

    /// <summary>The storage the test kit's system runs on.</summary>
    protected PluginStorage Storage => _storage ?? throw new InvalidOperationException("not initialized");

    protected ITestOutputHelper Output => output;

    public async Task InitializeAsync()
    {
        _storage = await NewStorageAsync();
        _kit = new AkkaTestKit(PluginTestConfig.With(_storage.Config), GetType().Name, output);
    }

    public async Task DisposeAsync()
    {
        if (_kit is not null)
        {
            await _kit.Sys.Terminate();
        }

        foreach (var system in _systems)
        {
            await system.Terminate();
        }

        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }
    }

    /// <summary>Fresh storage for this plugin, removed when the test ends.</summary>
    protected async Task<PluginStorage> NewStorageAsync()
    {
        var storage = await CreateStorageAsync();
        _storages.Add(storage);
        return storage;
    }

    /// <summary>Another ActorSystem on the given storage (stop it with <c>Terminate</c> to "restart").</summary>
    protected ActorSystem StartSystem(PluginStorage storage, string? extraHocon = null)
    {
        var config = PluginTestConfig.With(storage.Config);
        if (extraHocon is not null)
        {
            config = ConfigurationFactory.ParseString(extraHocon).WithFallback(config);
        }

        var system = ActorSystem.Create("restart", config.WithFallback(AkkaTestKit.DefaultConfig));
        _systems.Add(system);
        return system;
    }

    protected abstract Task<PluginStorage> CreateStorageAsync();
}
