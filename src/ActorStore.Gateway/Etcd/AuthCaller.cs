using ActorStore.Server;
using ActorStore.Server.Auth;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>
/// Who a gRPC call comes from, found where etcd looks: the <c>token</c> metadata, else <c>authorization</c> (what the
/// JSON gateway forwards the HTTP Authorization header as); without a token, the verified client certificate's
/// common name when the member runs with --client-cert-auth. Resolved only by the calls etcd checks, so that a
/// stale token does not break a call etcd would serve.
/// </summary>
internal static class AuthCaller
{
    private const string TokenKey = "token";
    private const string AuthorizationKey = "authorization";
    private const string CommonNameProperty = "x509_common_name";

    public static Task<AuthInfo?> CallerAsync(this ServerCallContext context, EtcdMember member)
    {
        var token = context.RequestHeaders.GetValue(TokenKey) ?? context.RequestHeaders.GetValue(AuthorizationKey);
        var commonName = token is null && context.AuthContext.IsPeerAuthenticated
            ? context.AuthContext.FindPropertiesByName(CommonNameProperty).FirstOrDefault()?.Value
            : null;
        return token is null && commonName is null
            ? Task.FromResult<AuthInfo?>(null)
            : member.Auth.CallerAsync(token, commonName, context.CancellationToken);
    }
}
