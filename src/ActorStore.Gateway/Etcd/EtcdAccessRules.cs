namespace ActorStore.Gateway.Etcd;

/// <summary>
/// What <see cref="EtcdAccessControl"/> enforces: --cors origins, --host-whitelist host names, and whether a TLS client's
/// common name is refused on the JSON gateway now (etcd: --client-cert-auth, the gateway on, and auth enabled).
/// </summary>
public sealed record EtcdAccessRules(IReadOnlyCollection<string> CorsOrigins, IReadOnlyCollection<string> HostWhitelist, Func<bool> RefuseCommonNamesOnGateway);
