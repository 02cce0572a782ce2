namespace ActorStore.Server.Auth;

/// <summary>
/// The auth store's enabled flag and revision as the apply actor last published them, for the gateway: a token
/// lookup stamps the caller with the current revision, as etcd's simple tokens do; open watches wait here for changes
/// that may revoke them.
/// </summary>
public sealed class AuthStateBoard
{
    private volatile AuthState _current = new(false, 1);
    private volatile TaskCompletionSource _changed = NewSignal();

    public AuthState Current => _current;

    public void Publish(AuthStore store)
    {
        var next = new AuthState(store.Enabled, store.Revision);
        if (next == _current)
        {
            return;
        }
        _current = next;
        // Waiters continue on the thread pool, never on the apply actor that publishes.
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    /// <summary>Completes once the published state differs from <paramref name="seen"/> (at once if it already does).</summary>
    public Task ChangedSinceAsync(AuthState seen, CancellationToken ct)
    {
        // The signal is read before the state: a publish in between completes this signal, so no change is missed.
        var signal = _changed;
        return _current != seen ? Task.CompletedTask : signal.Task.WaitAsync(ct);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
