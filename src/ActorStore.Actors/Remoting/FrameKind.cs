namespace ActorStore.Actors.Remoting;

/// <summary>The byte after a frame's length prefix: what its body holds.</summary>
internal enum FrameKind : byte
{
    Handshake = 1,
    HandshakeAccepted = 2,
    HandshakeRejected = 3,
    Envelope = 4,

    /// <summary>Empty body; sent by either side after <see cref="RemoteSettings.HeartbeatInterval"/> without other traffic.</summary>
    Heartbeat = 5,
}
