namespace ActorStore.Server.Auth;

/// <summary>Whether auth is on, and the auth revision.</summary>
public sealed record AuthState(bool Enabled, ulong Revision);
