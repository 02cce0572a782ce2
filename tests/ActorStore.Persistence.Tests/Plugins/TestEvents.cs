namespace ActorStore.Persistence.Tests.Plugins;

/// <summary>An event type bound to <see cref="FailingSerializer"/>: writing it must be rejected, not crash the journal.</summary>
public sealed record NotSerializable(string Reason);
