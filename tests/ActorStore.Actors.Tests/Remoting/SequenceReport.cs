namespace ActorStore.Actors.Tests.Remoting;

internal sealed record SequenceReport(int Count, int OutOfOrder);
