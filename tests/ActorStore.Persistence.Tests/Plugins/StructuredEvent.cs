namespace ActorStore.Persistence.Tests.Plugins;

/// <summary>An event with several fields, to check that serialization round-trips more than strings.</summary>
public sealed record StructuredEvent(string Key, byte[] Data, long Revision);
