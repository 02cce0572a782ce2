using ActorStore.Protocol.Errors;
using ActorStore.Server.Auth;
using Clientpb;
using Etcdserverpb;

namespace ActorStore.Server.Clients;

/// <summary>
/// Who a client session's requests come from, resolved per request as the gRPC services resolve a call's token or
/// certificate (<see cref="AuthRequests.CallerAsync"/>). A password session keeps its token and its credentials
/// (in memory only); when its token is refused as invalid (it expired, or auth was turned off and on) it
/// authenticates again, once for all the requests that found it so, and resolves the caller with the new token.
/// That refusal comes from resolving the caller, before the member is asked anything: nothing was proposed.
/// </summary>
public sealed class SessionCaller
{
    private readonly AuthRequests _auth;
    private readonly PasswordCredentials? _password;
    private readonly string? _commonName;
    private readonly Lock _gate = new();
    private string? _token;
    private Task<string?>? _reauthentication;

    private SessionCaller(AuthRequests auth, PasswordCredentials? password, string? token, string? commonName)
    {
        _auth = auth;
        _password = password;
        _token = token;
        _commonName = commonName;
    }

    /// <summary>No credentials: a call without a token (refused with "user name is empty" once auth is on).</summary>
    public static SessionCaller Nobody(AuthRequests auth) => new(auth, null, null, null);

    /// <summary>A user that authenticated with a password (null token: auth was off then).</summary>
    public static SessionCaller WithPassword(AuthRequests auth, PasswordCredentials password, string? token) =>
        new(auth, password, token, null);

    /// <summary>A certificate's common name, as a TLS client without a token under --client-cert-auth.</summary>
    public static SessionCaller WithCertificate(AuthRequests auth, string commonName) => new(auth, null, null, commonName);

    /// <summary>The caller of one request now; null for nobody.</summary>
    public async Task<AuthInfo?> ResolveAsync(CancellationToken ct)
    {
        if (_commonName is not null)
        {
            return await _auth.CallerAsync(null, _commonName, ct).ConfigureAwait(false);
        }
        string? token;
        lock (_gate)
        {
            token = _token;
        }
        if (_password is null)
        {
            return null;
        }
        if (token is null)
        {
            // Opened (or re-authenticated) while auth was off: once it is on, the credentials give a token.
            if (!_auth.State.Enabled || await ReauthenticateAsync(null).WaitAsync(ct).ConfigureAwait(false) is not { } first)
            {
                return null;
            }
            token = first;
        }
        try
        {
            return await _auth.CallerAsync(token, null, ct).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Message == EtcdErrors.InvalidAuthToken.Message)
        {
            var fresh = await ReauthenticateAsync(token).WaitAsync(ct).ConfigureAwait(false);
            return fresh is null ? null : await _auth.CallerAsync(fresh, null, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A new token in place of <paramref name="stale"/>; one authentication however many requests found it stale. It
    /// is bounded by the member's request timeout, not by one request's deadline, since every waiting request shares it.
    /// </summary>
    private Task<string?> ReauthenticateAsync(string? stale)
    {
        lock (_gate)
        {
            if (_token != stale)
            {
                return Task.FromResult(_token);
            }
            if (_reauthentication is null || _reauthentication.IsCompleted)
            {
                // A failed attempt is not reused: the next request that finds the token stale tries again.
                _reauthentication = AuthenticateAsync();
            }
            return _reauthentication;
        }
    }

    private async Task<string?> AuthenticateAsync()
    {
        string? token;
        try
        {
            var response = await _auth.AuthenticateAsync(new AuthenticateRequest { Name = _password!.Name, Password = _password.Password }, CancellationToken.None)
                .ConfigureAwait(false);
            token = response.Token;
        }
        catch (RpcException e) when (e.Message == EtcdErrors.AuthNotEnabled.Message)
        {
            // Auth was turned off: as etcd's client, go on without a token.
            token = null;
        }
        lock (_gate)
        {
            _token = token;
        }
        return token;
    }
}
