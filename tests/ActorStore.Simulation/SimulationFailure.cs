namespace ActorStore.Simulation;

/// <summary>A violated invariant; the message names the seed so the schedule can be replayed.</summary>
internal sealed class SimulationFailure(string message) : Exception(message);
