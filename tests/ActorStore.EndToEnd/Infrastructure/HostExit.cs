using System.Runtime.InteropServices;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Runs a cleanup when the test host ends: on a normal exit (ProcessExit) and on SIGTERM, SIGINT or SIGHUP, which
/// since .NET 10 end the process without raising ProcessExit. The signal goes on to end the process afterwards.
/// Nothing runs on SIGKILL.
/// </summary>
public static class HostExit
{
    private static readonly PosixSignal[] EndingSignals = [PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP];

    /// <summary>Hooks <paramref name="cleanup"/>; keep the registrations alive (a static readonly field) for as long as it applies.</summary>
    public static IReadOnlyList<PosixSignalRegistration> Register(Action cleanup)
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cleanup();
        return EndingSignals.Select(signal => PosixSignalRegistration.Create(signal, _ => cleanup())).ToArray();
    }
}
