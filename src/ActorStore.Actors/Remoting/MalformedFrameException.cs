namespace ActorStore.Actors.Remoting;

/// <summary>The peer broke the framing or the protocol; the connection it arrived on is closed.</summary>
internal sealed class MalformedFrameException(string message, Exception? inner = null) : Exception(message, inner);
