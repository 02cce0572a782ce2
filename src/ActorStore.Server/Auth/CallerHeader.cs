using Etcdserverpb;

namespace ActorStore.Server.Auth;

/// <summary>Puts the caller into a log entry's header, where the apply side reads it (etcd's username and auth_revision).</summary>
public static class CallerHeader
{
    public static InternalRaftRequest WithCaller(this InternalRaftRequest request, AuthInfo? caller)
    {
        if (caller is not null)
        {
            request.Header = new RequestHeader { Username = caller.Username, AuthRevision = caller.Revision };
        }
        return request;
    }
}
