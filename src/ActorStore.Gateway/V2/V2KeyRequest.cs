using ActorStore.Server.V2;
using Etcdserverpb;

namespace ActorStore.Gateway.V2;

/// <summary>A parsed /v2/keys request: what goes to the store, and how the answer is to be written.</summary>
internal sealed record V2KeyRequest(Request Request, bool NoValueOnSuccess)
{
    private const string KeysPrefix = "/v2/keys";

    /// <summary>etcd's parseKeyRequest: its checks in its order, with its error codes and causes.</summary>
    public static V2KeyRequest Parse(string method, string urlPath, V2Form form, long nowNanos)
    {
        if (!urlPath.StartsWith(KeysPrefix, StringComparison.Ordinal))
        {
            throw new V2Error(V2Error.InvalidForm, "incorrect key prefix", 0);
        }
        var path = V2Paths.Clean(V2Applier.KeysPrefix + "/" + urlPath[KeysPrefix.Length..]);
        var prevIndex = form.Unsigned("prevIndex") ?? throw new V2Error(V2Error.IndexNotANumber, "invalid value for \"prevIndex\"", 0);
        var waitIndex = form.Unsigned("waitIndex") ?? throw new V2Error(V2Error.IndexNotANumber, "invalid value for \"waitIndex\"", 0);
        var recursive = Flag(form, "recursive");
        var sorted = Flag(form, "sorted");
        var wait = Flag(form, "wait");
        var dir = Flag(form, "dir");
        var quorum = Flag(form, "quorum");
        var stream = Flag(form, "stream");
        if (wait && method != "GET")
        {
            throw new V2Error(V2Error.InvalidField, "\"wait\" can only be used with GET requests", 0);
        }
        var prevValue = form.Value("prevValue");
        if (form.Has("prevValue") && prevValue.Length == 0)
        {
            throw new V2Error(V2Error.PrevValueRequired, "\"prevValue\" cannot be empty", 0);
        }
        var noValueOnSuccess = Flag(form, "noValueOnSuccess");
        ulong? ttl = null;
        if (form.Value("ttl").Length > 0)
        {
            ttl = form.Unsigned("ttl") ?? throw new V2Error(V2Error.TtlNotANumber, "invalid value for \"ttl\"", 0);
        }
        var request = new Request
        {
            Method = method,
            Path = path,
            Val = form.Value("value"),
            Dir = dir,
            PrevValue = prevValue,
            PrevIndex = prevIndex,
            Wait = wait,
            Since = waitIndex,
            Recursive = recursive,
            Sorted = sorted,
            Quorum = quorum,
            Stream = stream,
        };
        if (form.Has("prevExist"))
        {
            request.PrevExist = form.Boolean("prevExist") ?? throw new V2Error(V2Error.InvalidField, "invalid value for prevExist", 0);
        }
        if (form.Has("refresh"))
        {
            var refresh = form.Boolean("refresh") ?? throw new V2Error(V2Error.InvalidField, "invalid value for refresh", 0);
            if (refresh)
            {
                if (form.Has("value") && form.Value("value").Length > 0)
                {
                    throw new V2Error(V2Error.RefreshValue, "A value was provided on a refresh", 0);
                }
                if (ttl is null)
                {
                    throw new V2Error(V2Error.RefreshTtlRequired, "No TTL value set", 0);
                }
            }
            request.Refresh = refresh;
        }
        if (ttl is { } seconds)
        {
            request.Expiration = nowNanos + (long)Math.Min(seconds, (ulong)(long.MaxValue / 2_000_000_000)) * 1_000_000_000;
        }
        return new V2KeyRequest(request, noValueOnSuccess);
    }

    private static bool Flag(V2Form form, string name) =>
        form.Boolean(name) ?? throw new V2Error(V2Error.InvalidField, $"invalid value for \"{name}\"", 0);
}
