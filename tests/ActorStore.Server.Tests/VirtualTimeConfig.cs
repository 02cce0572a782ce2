using Akka.Configuration;
using Akka.TestKit;

namespace ActorStore.Server.Tests;

/// <summary>Actor systems on Akka's virtual clock: the tests move time with <see cref="TestScheduler.Advance"/>.</summary>
internal static class VirtualTimeConfig
{
    public static Config Config { get; } = ConfigurationFactory.ParseString(
        $"akka.scheduler.implementation = \"{typeof(TestScheduler).AssemblyQualifiedName}\"");

    public static TestScheduler Of(Akka.Actor.ActorSystem system) => (TestScheduler)system.Scheduler;
}
