using ActorStore.Gateway.Health;
using ActorStore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.V2;

/// <summary>
/// etcd's v2 API on the client URLs (--enable-v2): /v2/keys, /v2/members, /v2/machines, /v2/stats/store, self and leader. Any other /v2 path is
/// Go's "404 page not found", as etcd's v2 mux answers.
/// </summary>
public static class V2HttpEndpoints
{
    public static IApplicationBuilder UseEtcdV2(this IApplicationBuilder app, EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = new V2KeysEndpoint(member);
        var members = new V2MembersEndpoint(member);
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (path == "/v2/keys" || path.StartsWith("/v2/keys/", StringComparison.Ordinal))
            {
                await keys.AnswerAsync(context);
            }
            else if (path == "/v2/members" || path.StartsWith("/v2/members/", StringComparison.Ordinal))
            {
                await members.AnswerAsync(context);
            }
            else if (path == "/v2/machines")
            {
                await MachinesAsync(context, member);
            }
            else if (path == "/v2/stats/store")
            {
                await StoreStatsAsync(context, member);
            }
            else if (path == "/v2/stats/self")
            {
                await JsonAsync(context, member.V2.ServerStats.ToJson());
            }
            else if (path == "/v2/stats/leader")
            {
                await LeaderStatsAsync(context, member);
            }
            else if (path == "/v2" || path.StartsWith("/v2/", StringComparison.Ordinal))
            {
                await PlainHttp.ErrorAsync(context, StatusCodes.Status404NotFound, "404 page not found");
            }
            else
            {
                await next(context);
            }
        });
    }

    /// <summary>The v2 store's operation counts on this member.</summary>
    private static async Task StoreStatsAsync(HttpContext context, EtcdMember member)
    {
        if (!await PlainHttp.OnlyGetAsync(context))
        {
            return;
        }
        var body = await member.V2.StoreStatsAsync(context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task JsonAsync(HttpContext context, byte[] body)
    {
        if (!await PlainHttp.OnlyGetAsync(context))
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The followers' latencies and counts: only the leader has them; others answer 403 "not current leader".</summary>
    private static async Task LeaderStatsAsync(HttpContext context, EtcdMember member)
    {
        var status = await member.StatusAsync(context.RequestAborted);
        if (status.Leader == 0 || status.Leader != status.Header.MemberId)
        {
            if (await PlainHttp.OnlyGetAsync(context))
            {
                await V2MembersEndpoint.WriteMessageAsync(context, StatusCodes.Status403Forbidden, "not current leader");
            }
            return;
        }
        await JsonAsync(context, member.V2.LeaderStats.ToJson());
    }

    /// <summary>Every member's client URLs, joined by ", ".</summary>
    private static async Task MachinesAsync(HttpContext context, EtcdMember member)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            context.Response.Headers.Allow = "GET,HEAD";
            await PlainHttp.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
            return;
        }
        var list = await member.MemberListAsync(context.RequestAborted);
        var text = string.Join(", ", list.Members.SelectMany(listed => listed.ClientURLs));
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }
}
