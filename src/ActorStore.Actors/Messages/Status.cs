namespace ActorStore.Actors;

/// <summary>Conventional replies for request/response exchanges; <see cref="Failure"/> faults an Ask.</summary>
public static class Status
{
    public sealed record Success(object? Value);

    public sealed record Failure(Exception Cause);
}
