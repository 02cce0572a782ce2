namespace ActorStore.Actors;

/// <summary>A parent's view of one child: whether it is being stopped, and its restart budget.</summary>
internal sealed class ChildRecord(ActorCell cell)
{
    public ActorCell Cell { get; } = cell;

    /// <summary>Set when the parent asked the child to stop; the name stays reserved until it has.</summary>
    public bool Stopping { get; set; }

    public int RetryCount { get; set; }

    public TimeSpan? WindowStart { get; set; }
}
