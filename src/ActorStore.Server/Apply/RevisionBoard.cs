namespace ActorStore.Server.Apply;

/// <summary>The keyspace's current revision: written by the apply actor as writes commit, read by anyone (response headers).</summary>
public sealed class RevisionBoard
{
    private long _current;

    public long Current => Volatile.Read(ref _current);

    internal void Publish(long revision) => Volatile.Write(ref _current, revision);
}
