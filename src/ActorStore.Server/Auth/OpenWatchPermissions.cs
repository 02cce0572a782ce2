using ActorStore.Server.Watch;
using Etcdserverpb;
using Grpc.Core;

namespace ActorStore.Server.Auth;

/// <summary>
/// The watches of one Watch call and the caller they were created for. A create request is checked when it arrives,
/// as etcd checks it; then, whenever the auth store changes (a role revoked, a user deleted, auth turned on), every
/// open watch is checked again against its user's permissions as they now are, and the ones no longer allowed are
/// canceled with etcd's refusal text. etcd 3.4 never checks a watch again; here a revoked permission also ends the
/// events already flowing.
/// </summary>
public sealed class OpenWatchPermissions(AuthRequests auth, WatchStream stream, Func<Task<AuthInfo?>> caller, CancellationToken callEnding)
{
    private readonly Dictionary<long, WatchCreateRequest> _open = new();
    private Task? _monitor;
    private AuthInfo? _caller;
    private bool _callerKnown;

    /// <summary>Checks and creates one watch of the call (or answers its refusal on the stream).</summary>
    public async Task CreateAsync(WatchCreateRequest create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var checkedAt = auth.State;
        if (checkedAt.Enabled && await auth.WatchRefusalAsync(CallerAsync, create, callEnding).ConfigureAwait(false) is { } refusal)
        {
            stream.Refuse(refusal);
            return;
        }
        if (stream.Create(create) is not { } id)
        {
            return;
        }
        lock (_open)
        {
            _open[id] = create;
            _monitor ??= MonitorAsync(checkedAt);
        }
        if (auth.State != checkedAt)
        {
            // The auth store changed between the check and now: the monitor may have looked before this watch was listed.
            await RecheckAsync(id, create).ConfigureAwait(false);
        }
    }

    /// <summary>The client canceled a watch: nothing to check for it any more.</summary>
    public void Forget(long watchId)
    {
        lock (_open)
        {
            _open.Remove(watchId);
        }
    }

    private async Task MonitorAsync(AuthState seen)
    {
        try
        {
            while (true)
            {
                await auth.ChangedSinceAsync(seen, callEnding).ConfigureAwait(false);
                seen = auth.State;
                if (!seen.Enabled)
                {
                    continue;
                }
                KeyValuePair<long, WatchCreateRequest>[] open;
                lock (_open)
                {
                    open = _open.ToArray();
                }
                foreach (var (id, create) in open)
                {
                    await RecheckAsync(id, create).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (callEnding.IsCancellationRequested)
        {
            // The call is over, and its watches with it.
        }
    }

    private async Task RecheckAsync(long id, WatchCreateRequest create)
    {
        AuthInfo? user;
        try
        {
            user = await CallerAsync().ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // A token that is no longer valid names nobody; such a caller may watch nothing while auth is on.
            user = null;
        }
        if (await auth.OpenWatchRefusalAsync(user, create, callEnding).ConfigureAwait(false) is not { } reason)
        {
            return;
        }
        lock (_open)
        {
            if (!_open.Remove(id))
            {
                return;
            }
        }
        stream.Revoke(id, reason);
    }

    /// <summary>The caller as first resolved: the watch keeps the user it was created for even after the token expires.</summary>
    private async Task<AuthInfo?> CallerAsync()
    {
        if (!_callerKnown)
        {
            _caller = await caller().ConfigureAwait(false);
            _callerKnown = true;
        }
        return _caller;
    }
}
