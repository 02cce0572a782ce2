using Etcdserverpb;

namespace ActorStore.Protocol;

/// <summary>An etcd response carrying a <see cref="ResponseHeader"/> (cluster id, member id, revision, raft term).</summary>
public interface IResponseWithHeader
{
    ResponseHeader Header { get; set; }
}
