namespace ActorStore.Raft.Shell;

/// <summary>One heartbeat interval has passed: the member's clock for the Raft core.</summary>
public sealed record RaftTick
{
    public static readonly RaftTick Instance = new();
}
