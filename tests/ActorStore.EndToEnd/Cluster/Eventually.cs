namespace ActorStore.EndToEnd.Cluster;

/// <summary>Polls a condition that a cluster reaches on its own (an election, a follower catching up) until a deadline.</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns the first non-null answer of <paramref name="attempt"/>; fails with <paramref name="describe"/> at the deadline.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, Func<string> describe)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await attempt() is { } answer)
            {
                return answer;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout}: {describe()}");
            }
            await Task.Delay(Interval);
        }
    }
}
