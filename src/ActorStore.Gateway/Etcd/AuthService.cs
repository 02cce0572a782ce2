using Etcdserverpb;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's Auth service, declared so that its methods answer Unimplemented with the work that builds them.</summary>
public sealed class AuthService : Auth.AuthBase;
