namespace ActorStore.Server.Auth;

/// <summary>
/// The auth store's enabled flag and revision as the apply actor last published them, for the gateway: a token
/// lookup stamps the caller with the current revision, as etcd's simple tokens do.
/// </summary>
public sealed class AuthStateBoard
{
    private volatile AuthState _current = new(false, 1);

    public AuthState Current => _current;

    public void Publish(AuthStore store) => _current = new AuthState(store.Enabled, store.Revision);
}
