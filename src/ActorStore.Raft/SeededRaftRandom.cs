namespace ActorStore.Raft;

/// <summary>A reproducible <see cref="IRaftRandom"/>: the same seed yields the same election timeouts.</summary>
public sealed class SeededRaftRandom(int seed) : IRaftRandom
{
    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
