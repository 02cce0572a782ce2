namespace ActorStore.Raft;

/// <summary>Source of the randomized election timeout; injected so that runs can be replayed from a seed.</summary>
public interface IRaftRandom
{
    /// <summary>Returns a value in [0, maxExclusive).</summary>
    int Next(int maxExclusive);
}
