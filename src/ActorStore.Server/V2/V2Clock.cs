namespace ActorStore.Server.V2;

/// <summary>Wall-clock time as Unix nanoseconds, the unit of etcd's v2 expirations.</summary>
public static class V2Clock
{
    public static long NowNanos() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
