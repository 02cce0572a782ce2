using Etcdserverpb;
using V2Pb;

namespace ActorStore.Server.V2;

/// <summary>
/// Applies a committed v2 request to the v2 store as etcd's v2 applier does: PUT is set, create (prevExist=false),
/// update (prevExist=true) or compare-and-swap (prevValue or prevIndex); POST creates an in-order key; DELETE deletes
/// or compares-and-deletes; QGET reads through the log; SYNC expires what expired by the leader's clock.
/// Keys of the keys API live under /1, as in etcd's store; the store here holds that namespace alone.
/// </summary>
public static class V2Applier
{
    /// <summary>etcd's StoreKeysPrefix: the keys API's namespace in the v2 store.</summary>
    public const string KeysPrefix = "/1";

    public static bool IsKeysRequest(Request request) =>
        request.Method == "SYNC" || request.Path == KeysPrefix || request.Path.StartsWith(KeysPrefix + "/", StringComparison.Ordinal);

    public static V2Outcome Apply(V2Store store, Request request)
    {
        try
        {
            return Outcome(Run(store, request));
        }
        catch (V2Error e)
        {
            return Failure(e);
        }
    }

    public static V2Outcome Outcome(V2Event? e) => e is null
        ? new V2Outcome()
        : new V2Outcome
        {
            Action = e.Action,
            Created = e.IsCreated,
            EtcdIndex = e.EtcdIndex,
            Body = Google.Protobuf.ByteString.CopyFrom(V2Json.Event(e)),
        };

    public static V2Outcome Failure(V2Error e) => new()
    {
        ErrorCode = e.ErrorCode,
        ErrorCause = e.Cause,
        ErrorIndex = e.Index,
        EtcdIndex = e.Index,
    };

    /// <summary>The store path of a keys API path: /1/a/b is /a/b.</summary>
    public static string StorePath(string path) => path.Length <= KeysPrefix.Length ? "/" : path[KeysPrefix.Length..];

    private static V2Event? Run(V2Store store, Request request)
    {
        var path = StorePath(request.Path);
        var refresh = request.HasRefresh && request.Refresh;
        var expiration = request.Expiration;
        switch (request.Method)
        {
            case "POST":
                return store.Create(path, request.Dir, request.Val, true, expiration);
            case "PUT":
                if (request.HasPrevExist)
                {
                    if (request.PrevExist)
                    {
                        return request.PrevIndex == 0 && request.PrevValue.Length == 0
                            ? store.Update(path, request.Val, expiration, refresh)
                            : store.CompareAndSwap(path, request.PrevValue, request.PrevIndex, request.Val, expiration, refresh);
                    }
                    return store.Create(path, request.Dir, request.Val, false, expiration);
                }
                if (request.PrevIndex > 0 || request.PrevValue.Length > 0)
                {
                    return store.CompareAndSwap(path, request.PrevValue, request.PrevIndex, request.Val, expiration, refresh);
                }
                return store.Set(path, request.Dir, request.Val, expiration, refresh);
            case "DELETE":
                return request.PrevIndex > 0 || request.PrevValue.Length > 0
                    ? store.CompareAndDelete(path, request.PrevValue, request.PrevIndex)
                    : store.Delete(path, request.Dir, request.Recursive);
            case "QGET":
                return store.Get(path, request.Recursive, request.Sorted);
            case "SYNC":
                store.DeleteExpiredKeys(request.Time);
                return null;
            default:
                throw new V2Error(V2Error.RaftInternal, "unknown method", store.CurrentIndex);
        }
    }
}
