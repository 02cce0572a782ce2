using ActorStore.Server;
using Grpc.Core;

namespace ActorStore.Gateway.Etcd;

/// <summary>etcd's check before calls it serves outside the log that only root may make (member changes, hashes).</summary>
internal static class AdminCheck
{
    public static async Task RequireRootAsync(ServerCallContext context, EtcdMember member)
    {
        if (!member.Auth.State.Enabled)
        {
            return;
        }
        var caller = await context.CallerAsync(member).ConfigureAwait(false);
        await member.Auth.CheckAdminAsync(caller, context.CancellationToken).ConfigureAwait(false);
    }
}
