namespace ActorStore.Actors;

/// <summary>Makes the receiver fail with <see cref="ActorKilledException"/>; the default supervisor then stops it.</summary>
public sealed record Kill
{
    private Kill()
    {
    }

    public static Kill Instance { get; } = new();
}
