namespace ActorStore.Client;

/// <summary>Sent to a watch's handle: ends the watch.</summary>
public sealed record CancelWatch
{
    private CancelWatch()
    {
    }

    /// <summary>The only instance.</summary>
    public static CancelWatch Instance { get; } = new();
}
