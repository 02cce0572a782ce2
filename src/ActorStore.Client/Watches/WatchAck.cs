namespace ActorStore.Client;

/// <summary>Sent to a watch's handle: the subscriber has handled <paramref name="Count"/> more updates and can take as many again.</summary>
public sealed record WatchAck(int Count = 1);
