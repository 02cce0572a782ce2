namespace ActorStore.Actors.Remoting;

/// <summary>A snapshot of one outbound association's counters (monitoring and tests).</summary>
/// <param name="Address">The remote host:port.</param>
/// <param name="IsConnected">True while a handshaken connection exists.</param>
/// <param name="QueuedMessages">Messages waiting to be written.</param>
/// <param name="SentMessages">Messages handed to the connection so far.</param>
/// <param name="DroppedMessages">Messages dropped so far: queue full, frame too large, or lost with a failed connection.</param>
public sealed record RemoteAssociationStatus(string Address, bool IsConnected, int QueuedMessages, long SentMessages, long DroppedMessages);
