namespace ActorStore.EndToEnd.Watch;

/// <summary>One broken guarantee, with the watcher and the evidence.</summary>
public sealed record WatchViolation(WatchGuarantee Guarantee, string Watcher, string Detail)
{
    public override string ToString() => $"{Guarantee} ({Watcher}): {Detail}";
}
