using Akka;
using Akka.Actor;
using Akka.Event;

namespace ActorStore.Client.Remoting;

/// <summary>
/// With the client's settings CoordinatedShutdown leaves the actor system running (so a failed TLS handshake to a
/// member cannot end it); this task ends the system after every other shutdown, as Akka's default would.
/// </summary>
internal static class ShutdownGuard
{
    private const string TlsHandshakeFailure = "TlsHandshakeFailureReason";

    public static void Install(ActorSystem system)
    {
        var config = system.Settings.Config;
        if (config.GetBoolean("akka.coordinated-shutdown.terminate-actor-system", true))
        {
            return; // the program chose Akka's default: it terminates on its own
        }
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseActorSystemTerminate, "actorstore-client-terminate", () =>
        {
            if (shutdown.ShutdownReason?.GetType().Name == TlsHandshakeFailure)
            {
                system.Log.Warning("a TLS handshake with an ActorStore member failed; the actor system keeps running");
            }
            else
            {
                _ = system.Terminate();
            }
            return Task.FromResult(Done.Instance);
        });
    }
}
