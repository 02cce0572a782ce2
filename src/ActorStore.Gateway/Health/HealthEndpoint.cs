using ActorStore.Server;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorStore.Gateway.Health;

/// <summary>
/// etcd 3.4's /health: false when an alarm is raised (unless named in ?exclude=), when there is no leader, or when
/// a read does not complete within a second (linearizable, or local with ?serializable=true). The body is etcd
/// 3.4's {"health":"true"} or {"health":"false"} (503, as Go's http.Error); the reason goes to the log as etcd logs it.
/// </summary>
internal sealed class HealthEndpoint(EtcdMember member, ILogger logger)
{
    private static readonly byte[] Healthy = "{\"health\":\"true\"}"u8.ToArray();
    private static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    public async Task AnswerAsync(HttpContext context)
    {
        if (!await PlainHttp.OnlyGetAsync(context).ConfigureAwait(false))
        {
            return;
        }
        var query = context.Request.Query;
        var excludedAlarms = query["exclude"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var serializable = string.Equals(query["serializable"].FirstOrDefault(), "true", StringComparison.Ordinal);
        var problem = await FindProblemAsync(excludedAlarms, serializable, context.RequestAborted).ConfigureAwait(false);
        (problem is null ? member.Metrics.HealthSuccesses : member.Metrics.HealthFailures).Inc();
        if (problem is not null)
        {
            logger.LogWarning("serving /health false; {reason}", problem);
            await PlainHttp.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "{\"health\":\"false\"}").ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        // Go sniffs the type of a body written without one; for this body it finds plain text.
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = Healthy.Length;
        await context.Response.Body.WriteAsync(Healthy, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Why the member is unhealthy, or null when it is healthy.</summary>
    private async Task<string?> FindProblemAsync(HashSet<string> excludedAlarms, bool serializable, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            foreach (var alarm in await member.ActiveAlarmsAsync(timeout.Token).ConfigureAwait(false))
            {
                var name = AlarmName(alarm.Alarm);
                if (!excludedAlarms.Contains(name))
                {
                    return $"alarm activated: {name} (member {alarm.MemberID:x})";
                }
            }
            if (member.Raft.Leader == 0)
            {
                return "no leader";
            }
            if (!serializable)
            {
                return await member.IsHealthyAsync(ct).ConfigureAwait(false) ? null : "linearizable read failed";
            }
            await member.RangeAsync(new RangeRequest { Key = HealthKey, Serializable = true, KeysOnly = true, Limit = 1 }, timeout.Token)
                .ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is OperationCanceledException or Protocol.Errors.RpcException or global::Grpc.Core.RpcException)
        {
            return "read failed: " + e.Message;
        }
    }

    /// <summary>The alarm's proto name (NOSPACE, CORRUPT), as ?exclude= names it.</summary>
    public static string AlarmName(AlarmType alarm) => alarm switch
    {
        AlarmType.None => "NONE",
        AlarmType.Nospace => "NOSPACE",
        AlarmType.Corrupt => "CORRUPT",
        _ => ((int)alarm).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
