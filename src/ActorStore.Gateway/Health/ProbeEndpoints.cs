using System.Text;
using ActorStore.Server;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Health;

/// <summary>
/// etcd 3.4.29's /livez and /readyz (and one path per check, /livez/serializable_read, ...): /livez reads locally,
/// /readyz also checks for a CORRUPT alarm and reads through the leader. ?exclude=name skips a check, ?verbose lists
/// every check; a failure answers 503 with the list and "&lt;path&gt; check failed", success "ok".
/// </summary>
internal sealed class ProbeEndpoints(EtcdMember member)
{
    private const string SerializableRead = "serializable_read";
    private const string LinearizableRead = "linearizable_read";
    private const string DataCorruption = "data_corruption";

    /// <summary>A read through the leader waits at most this long, as etcd's does within its request timeout.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);
    private static readonly ByteString HealthKey = ByteString.CopyFromUtf8("health");

    private static readonly string[] LivezChecks = [SerializableRead];
    private static readonly string[] ReadyzChecks = [DataCorruption, SerializableRead, LinearizableRead];

    /// <summary>Answers the request when its path is one of the probes; false otherwise.</summary>
    public bool TryGetChecks(string path, out string[] checks)
    {
        checks = path switch
        {
            "/livez" => LivezChecks,
            "/readyz" => ReadyzChecks,
            _ when path.StartsWith("/livez/", StringComparison.Ordinal) && LivezChecks.Contains(path["/livez/".Length..]) => [path["/livez/".Length..]],
            _ when path.StartsWith("/readyz/", StringComparison.Ordinal) && ReadyzChecks.Contains(path["/readyz/".Length..]) => [path["/readyz/".Length..]],
            _ => [],
        };
        return checks.Length > 0;
    }

    public async Task AnswerAsync(HttpContext context, string[] checks)
    {
        if (!await PlainHttp.OnlyGetAsync(context).ConfigureAwait(false))
        {
            return;
        }
        var query = context.Request.Query;
        var excluded = query["exclude"]
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var report = new StringBuilder();
        var healthy = true;
        foreach (var check in checks)
        {
            if (excluded.Remove(check))
            {
                report.Append("[+]").Append(check).Append(" excluded: ok\n");
                continue;
            }
            var failure = await RunAsync(check, context.RequestAborted).ConfigureAwait(false);
            if (failure is null)
            {
                report.Append("[+]").Append(check).Append(" ok\n");
            }
            else
            {
                healthy = false;
                report.Append("[-]").Append(check).Append(" failed: ").Append(failure).Append('\n');
            }
        }
        foreach (var unknown in excluded)
        {
            report.Append("warn: some health checks cannot be excluded: no matches for \"").Append(unknown).Append("\"\n");
        }

        if (!healthy)
        {
            var path = context.Request.Path.Value!.TrimStart('/');
            await PlainHttp.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, report + path + " check failed").ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var verbose = query.ContainsKey("verbose");
        await PlainHttp.TextAsync(context, verbose ? report + "ok\n" : "ok\n").ConfigureAwait(false);
    }

    /// <summary>The check's failure, or null when it passes.</summary>
    private async Task<string?> RunAsync(string check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            switch (check)
            {
                case DataCorruption:
                    var alarms = await member.ActiveAlarmsAsync(timeout.Token).ConfigureAwait(false);
                    return alarms.Any(alarm => alarm.Alarm == AlarmType.Corrupt) ? "alarm activated: CORRUPT" : null;
                default:
                    var request = new RangeRequest { Key = HealthKey, KeysOnly = true, Limit = 1, Serializable = check == SerializableRead };
                    await member.RangeAsync(request, timeout.Token).ConfigureAwait(false);
                    return null;
            }
        }
        catch (OperationCanceledException)
        {
            return "context deadline exceeded";
        }
        catch (Exception e) when (e is Protocol.Errors.RpcException or global::Grpc.Core.RpcException)
        {
            return e.Message;
        }
    }
}
