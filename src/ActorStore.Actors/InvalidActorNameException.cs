namespace ActorStore.Actors;

/// <summary>The requested actor name is malformed or already taken by a sibling.</summary>
public sealed class InvalidActorNameException(string message) : ArgumentException(message);
