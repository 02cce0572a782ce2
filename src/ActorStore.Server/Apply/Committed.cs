using ActorStore.Server.Log;

namespace ActorStore.Server.Apply;

/// <summary>Durable proposals, in log order, starting at <paramref name="FirstIndex"/>.</summary>
public sealed record Committed(long FirstIndex, List<Proposal> Proposals);
