namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Actor;
using Akka.Persistence;

/// <summary>
/// The child process of the crash tests: recovers a persistent actor, then persists events "e{n}" without end,
/// alternately one at a time and in PersistAll batches, and prints "ACK n" to stdout once event n is
/// acknowledged (its persist handler ran). The parent kills it with SIGKILL at some point.
/// </summary>
public static class CrashWriter
{
    /// <param name="plugin">sqlite or sql, as <see cref="PersistenceHocon.Build"/> takes it.</param>
    /// <param name="location">The data dir (sqlite) or connection string (sql).</param>
    /// <param name="persistenceId">The writer's persistence id.</param>
    public static async Task<int> RunAsync(string plugin, string location, string persistenceId)
    {
        var storage = plugin == PersistenceHocon.Sqlite
            ? PersistenceHocon.Build(plugin, connectionString: null, dataDir: location)
            : PersistenceHocon.Build(plugin, connectionString: location, dataDir: null);
        var config = PluginTestConfig.With(storage);
        using var system = ActorSystem.Create("crash-writer", config);
        system.ActorOf(Props.Create(() => new Writer(persistenceId)));
        await system.WhenTerminated;
        return 0;
    }

    private sealed class Writer(string pid) : UntypedPersistentActor
    {
        private long _next;

        public override string PersistenceId => pid;

        protected override void OnRecover(object message)
        {
            if (message is RecoveryCompleted)
            {
                _next = LastSequenceNr + 1;
                Console.WriteLine($"RECOVERED {LastSequenceNr}");
                Self.Tell("next");
            }
        }

        protected override void OnCommand(object message)
        {
            if (message is not "next")
            {
                return;
            }

            if (_next % 7 == 0)
            {
                var batch = Enumerable.Range(0, 5).Select(i => $"e{_next + i}").ToArray();
                _next += batch.Length;
                PersistAll(batch, e => Acknowledge(e, e == batch[^1]));
            }
            else
            {
                Persist($"e{_next++}", e => Acknowledge(e, true));
            }
        }

        private void Acknowledge(string e, bool continueWriting)
        {
            Console.WriteLine($"ACK {LastSequenceNr} {e}");
            if (continueWriting)
            {
                Self.Tell("next");
            }
        }
    }
}
