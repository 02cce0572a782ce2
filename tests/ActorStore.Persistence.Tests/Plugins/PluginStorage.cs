namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Configuration;

/// <summary>
/// Fresh, private storage for one plugin (a data dir, or a database on the test server) and the Akka configuration
/// that selects the plugin on it. Disposing removes the storage.
/// </summary>
public abstract class PluginStorage : IAsyncDisposable
{
    /// <summary>akka.persistence settings selecting the plugin on this storage, with the plugin's defaults.</summary>
    public abstract Config Config { get; }

    /// <summary>What a child process passes to <see cref="PersistenceHocon.Build"/> to reach the same storage:
    /// the plugin name and the data dir or connection string.</summary>
    public abstract (string Plugin, string Location) ProcessArguments { get; }

    public abstract ValueTask DisposeAsync();
}
