using ActorStore.Server;
using ActorStore.Server.Membership;
using ActorStore.Server.V2;
using Microsoft.AspNetCore.Http;
using V2Pb;

namespace ActorStore.Gateway.V2;

/// <summary>
/// etcd's /v2/keys handler: parses the request as etcd does, sends writes and quorum reads through the log, serves
/// plain reads and waits from the member's store, and answers with etcd's headers, statuses and JSON.
/// </summary>
internal sealed class V2KeysEndpoint(EtcdMember member)
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "HEAD", "GET", "PUT", "POST", "DELETE" };

    public async Task AnswerAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (!Allowed.Contains(method))
        {
            context.Response.Headers.Allow = "HEAD,GET,PUT,POST,DELETE";
            await Health.PlainHttp.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
            return;
        }
        context.Response.Headers["X-Etcd-Cluster-ID"] = MemberIdentity.FormatId(member.Identity.ClusterId);
        V2KeyRequest parsed;
        try
        {
            var form = await V2Form.ReadAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
            parsed = V2KeyRequest.Parse(method, context.Request.Path.Value ?? "", form, V2Clock.NowNanos());
        }
        catch (V2Error e)
        {
            await WriteErrorAsync(context, e.ErrorCode, e.Cause, e.Index).ConfigureAwait(false);
            return;
        }
        catch (InvalidDataException e)
        {
            await WriteErrorAsync(context, V2Error.InvalidForm, e.Message, 0).ConfigureAwait(false);
            return;
        }
        var request = parsed.Request;
        try
        {
            // As etcd: a quorum GET goes through the log (and then does not wait); HEAD is always a local read.
            var quorumGet = method == "GET" && request.Quorum;
            if (method == "GET" && request.Wait && !quorumGet)
            {
                await WatchAsync(context, request).ConfigureAwait(false);
                return;
            }
            V2Outcome outcome;
            if (method == "HEAD" || (method == "GET" && !quorumGet))
            {
                outcome = await member.V2.GetAsync(request.Path, request.Recursive, request.Sorted, context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                if (quorumGet)
                {
                    request.Method = "QGET";
                }
                outcome = await member.V2.ProposeAsync(request, context.RequestAborted).ConfigureAwait(false);
            }
            await WriteOutcomeAsync(context, outcome, parsed.NoValueOnSuccess).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ActorStore.Protocol.Errors.RpcException or TimeoutException)
        {
            await WriteErrorAsync(context, V2Error.RaftInternal, e.Message, 0).ConfigureAwait(false);
        }
    }

    private async Task WriteOutcomeAsync(HttpContext context, V2Outcome outcome, bool noValueOnSuccess)
    {
        if (outcome.ErrorCode != 0)
        {
            await WriteErrorAsync(context, outcome.ErrorCode, outcome.ErrorCause, outcome.ErrorIndex).ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.ContentType = "application/json";
        SetIndexHeaders(response, outcome.EtcdIndex);
        response.StatusCode = outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        var body = noValueOnSuccess && outcome.Action is V2Actions.Set or V2Actions.CompareAndSwap or V2Actions.Create or V2Actions.Update
            ? System.Text.Encoding.UTF8.GetBytes($"{{\"action\":\"{outcome.Action}\"}}\n")
            : outcome.Body.ToByteArray();
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>etcd's handleKeyWatch: headers at once, then one event (or every event when streaming).</summary>
    private async Task WatchAsync(HttpContext context, Etcdserverpb.Request request)
    {
        var (watcher, error) = await member.V2.WatchAsync(request.Path, request.Recursive, request.Stream, request.Since, context.RequestAborted)
            .ConfigureAwait(false);
        if (error is not null)
        {
            await WriteErrorAsync(context, error.ErrorCode, error.ErrorCause, error.ErrorIndex).ConfigureAwait(false);
            return;
        }
        try
        {
            var response = context.Response;
            response.ContentType = "application/json";
            SetIndexHeaders(response, watcher!.StartIndex);
            response.StatusCode = StatusCodes.Status200OK;
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await foreach (var e in watcher.Events.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await response.Body.WriteAsync(V2Json.Event(e), context.RequestAborted).ConfigureAwait(false);
                await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                if (!request.Stream)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: etcd's close notification ends the watch the same way.
        }
        finally
        {
            watcher!.Remove();
        }
    }

    private void SetIndexHeaders(HttpResponse response, ulong etcdIndex)
    {
        var raft = member.Raft;
        response.Headers["X-Etcd-Index"] = etcdIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Raft-Index"] = raft.CommitIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Raft-Term"] = raft.Term.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>etcd's v2 error: X-Etcd-Index, JSON, the code's status.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int errorCode, string cause, ulong index)
    {
        var error = new V2Error(errorCode, cause, index);
        var response = context.Response;
        response.Headers["X-Etcd-Index"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentType = "application/json";
        response.StatusCode = error.HttpStatus;
        await response.Body.WriteAsync(V2Json.Error(error), context.RequestAborted).ConfigureAwait(false);
    }
}
