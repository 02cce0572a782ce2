using ActorStore.Protocol.Errors;
using RpcException = ActorStore.Protocol.Errors.RpcException;
using StatusCode = ActorStore.Protocol.Errors.StatusCode;
using ActorStore.Server;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's check before calls it serves outside the log that only root may make (member changes, hashes).</summary>
internal static class AdminCheck
{
    /// <summary>The auth package's own words for the refusals, which etcd's maintenance service answers with.</summary>
    private static readonly Dictionary<string, string> AuthPackageMessages = new(StringComparer.Ordinal)
    {
        [EtcdErrors.UserEmpty.Message] = "auth: user name is empty",
        [EtcdErrors.UserNotFound.Message] = "auth: user not found",
        [EtcdErrors.PermissionDenied.Message] = "auth: permission denied",
        [EtcdErrors.InvalidAuthToken.Message] = "auth: invalid auth token",
    };

    public static async Task RequireRootAsync(ServerCallContext context, EtcdMember member)
    {
        if (!member.Auth.State.Enabled)
        {
            return;
        }
        var caller = await context.CallerAsync(member).ConfigureAwait(false);
        await member.Auth.CheckAdminAsync(caller, context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// etcd 3.4's maintenance service returns the auth package's error untranslated, which gRPC sends as Unknown
    /// with the package's message ("auth: permission denied"); clients see exactly that.
    /// </summary>
    public static async Task RequireRootForMaintenanceAsync(ServerCallContext context, EtcdMember member)
    {
        try
        {
            await RequireRootAsync(context, member).ConfigureAwait(false);
        }
        catch (RpcException e) when (AuthPackageMessages.TryGetValue(e.Message, out var message))
        {
            throw new RpcException(StatusCode.Unknown, message);
        }
    }
}
