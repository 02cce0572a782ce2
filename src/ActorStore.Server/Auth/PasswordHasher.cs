namespace ActorStore.Server.Auth;

/// <summary>
/// bcrypt, the slow part of auth, kept off the actors and gated: at most one hash or check per core at a time, and
/// one at a time per user name, so that a password guesser waits behind its own attempts instead of taking every
/// core of the member. Passwords never leave this class except as hashes.
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    /// <summary>etcd's bounds; outside them etcd uses its default cost.</summary>
    public const int MinCost = 4;
    public const int MaxCost = 31;
    public const int DefaultCost = 10;

    private readonly SemaphoreSlim _cores;
    private readonly Dictionary<string, SemaphoreSlim> _perUser = new(StringComparer.Ordinal);

    public PasswordHasher(int cost)
    {
        Cost = cost is < MinCost or > MaxCost ? DefaultCost : cost;
        var slots = Math.Max(1, Environment.ProcessorCount / 2);
        _cores = new SemaphoreSlim(slots, slots);
    }

    public int Cost { get; }

    public Task<string> HashAsync(string username, string password, CancellationToken ct) =>
        GatedAsync(username, () => BCrypt.Net.BCrypt.HashPassword(password, Cost), ct);

    public Task<bool> VerifyAsync(string username, string password, string hash, CancellationToken ct) =>
        GatedAsync(username, () => IsMatch(password, hash), ct);

    private static bool IsMatch(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private async Task<T> GatedAsync<T>(string username, Func<T> work, CancellationToken ct)
    {
        var user = UserGate(username);
        await user.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _cores.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await Task.Run(work, ct).ConfigureAwait(false);
            }
            finally
            {
                _cores.Release();
            }
        }
        finally
        {
            user.Release();
        }
    }

    private SemaphoreSlim UserGate(string username)
    {
        lock (_perUser)
        {
            if (!_perUser.TryGetValue(username, out var gate))
            {
                // Bounded: names that are not users still get a gate, so the table is cleared when it grows large.
                if (_perUser.Count > 10_000)
                {
                    _perUser.Clear();
                }
                gate = new SemaphoreSlim(1, 1);
                _perUser[username] = gate;
            }
            return gate;
        }
    }

    public void Dispose() => _cores.Dispose();
}
