using System.Globalization;
using System.Text.Json;
using ActorStore.Server;
using ActorStore.Server.Membership;
using Etcdserverpb;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.V2;

/// <summary>
/// etcd's /v2/members: GET lists the members (and /v2/members/leader the leader), POST adds one by its peer URLs,
/// DELETE removes one, PUT changes its peer URLs, each through the member's membership changes. Errors are etcd's
/// {"message": ...} bodies with its statuses.
/// </summary>
internal sealed class V2MembersEndpoint(EtcdMember member)
{
    private const string Prefix = "/v2/members";

    public async Task AnswerAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (method is not ("GET" or "POST" or "DELETE" or "PUT"))
        {
            context.Response.Headers.Allow = "GET,POST,DELETE,PUT";
            await Health.PlainHttp.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
            return;
        }
        context.Response.Headers["X-Etcd-Cluster-ID"] = MemberIdentity.FormatId(member.Identity.ClusterId);
        var rest = (context.Request.Path.Value ?? "")[Prefix.Length..].TrimStart('/');
        try
        {
            switch (method)
            {
                case "GET":
                    await GetAsync(context, rest).ConfigureAwait(false);
                    break;
                case "POST":
                    await AddAsync(context).ConfigureAwait(false);
                    break;
                case "DELETE":
                    if (await IdOfAsync(context, rest) is { } removed)
                    {
                        await member.MemberRemoveAsync(new MemberRemoveRequest { ID = removed }, context.RequestAborted).ConfigureAwait(false);
                        context.Response.StatusCode = StatusCodes.Status204NoContent;
                    }
                    break;
                case "PUT":
                    if (await IdOfAsync(context, rest) is { } updated && await PeerUrlsOfAsync(context) is { } urls)
                    {
                        var update = new MemberUpdateRequest { ID = updated };
                        update.PeerURLs.AddRange(urls);
                        await member.MemberUpdateAsync(update, context.RequestAborted).ConfigureAwait(false);
                        context.Response.StatusCode = StatusCodes.Status204NoContent;
                    }
                    break;
            }
        }
        catch (ActorStore.Protocol.Errors.RpcException e)
        {
            await WriteFailureAsync(context, e, rest).ConfigureAwait(false);
        }
    }

    private async Task GetAsync(HttpContext context, string rest)
    {
        var list = await member.MemberListAsync(context.RequestAborted).ConfigureAwait(false);
        switch (rest)
        {
            case "":
                await WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("members");
                    foreach (var listed in list.Members)
                    {
                        WriteMember(writer, listed);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }).ConfigureAwait(false);
                return;
            case "leader":
                var leaderId = member.Raft.Leader;
                var leader = list.Members.FirstOrDefault(listed => listed.ID == leaderId);
                if (leaderId == 0 || leader is null)
                {
                    await WriteMessageAsync(context, StatusCodes.Status503ServiceUnavailable, "During election").ConfigureAwait(false);
                    return;
                }
                await WriteJsonAsync(context, StatusCodes.Status200OK, writer => WriteMember(writer, leader)).ConfigureAwait(false);
                return;
            default:
                await WriteMessageAsync(context, StatusCodes.Status404NotFound, "Not found").ConfigureAwait(false);
                return;
        }
    }

    private async Task AddAsync(HttpContext context)
    {
        if (await PeerUrlsOfAsync(context) is not { } urls)
        {
            return;
        }
        var add = new MemberAddRequest();
        add.PeerURLs.AddRange(urls);
        var added = await member.MemberAddAsync(add, context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, StatusCodes.Status201Created, writer => WriteMember(writer, added.Member)).ConfigureAwait(false);
    }

    /// <summary>etcd's getID: no id is a 405, an id that is not hex names no member.</summary>
    private static async Task<ulong?> IdOfAsync(HttpContext context, string rest)
    {
        if (rest.Length == 0)
        {
            await Health.PlainHttp.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
            return null;
        }
        if (ulong.TryParse(rest, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        await WriteMessageAsync(context, StatusCodes.Status404NotFound, $"No such member: {rest}").ConfigureAwait(false);
        return null;
    }

    /// <summary>etcd's unmarshalRequest of {"peerURLs": [...]}: JSON only, and URLs that parse.</summary>
    private static async Task<string[]?> PeerUrlsOfAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteMessageAsync(context, StatusCodes.Status415UnsupportedMediaType, $"Bad Content-Type {context.Request.ContentType}, accept application/json")
                .ConfigureAwait(false);
            return null;
        }
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            var urls = document.RootElement.TryGetProperty("peerURLs", out var listed) && listed.ValueKind == JsonValueKind.Array
                ? listed.EnumerateArray().Select(url => url.GetString() ?? "").ToArray()
                : [];
            if (urls.Any(url => !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
            {
                await WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad Request").ConfigureAwait(false);
                return null;
            }
            return urls;
        }
        catch (JsonException)
        {
            await WriteMessageAsync(context, StatusCodes.Status400BadRequest, "Bad Request").ConfigureAwait(false);
            return null;
        }
    }

    private static Task WriteFailureAsync(HttpContext context, ActorStore.Protocol.Errors.RpcException e, string rest)
    {
        if (e.Message == ActorStore.Protocol.Errors.EtcdErrors.PeerURLExist.Message)
        {
            return WriteMessageAsync(context, StatusCodes.Status409Conflict, "membership: peerURL exists");
        }
        if (e.Message == ActorStore.Protocol.Errors.EtcdErrors.MemberExist.Message)
        {
            return WriteMessageAsync(context, StatusCodes.Status409Conflict, "membership: ID exists");
        }
        if (e.Message == ActorStore.Protocol.Errors.EtcdErrors.MemberNotFound.Message)
        {
            return WriteMessageAsync(context, StatusCodes.Status404NotFound, $"No such member: {rest}");
        }
        return WriteMessageAsync(context, StatusCodes.Status500InternalServerError, "Internal Server Error");
    }

    private static void WriteMember(Utf8JsonWriter writer, Member listed)
    {
        writer.WriteStartObject();
        writer.WriteString("id", MemberIdentity.FormatId(listed.ID));
        writer.WriteString("name", listed.Name);
        writer.WriteStartArray("peerURLs");
        foreach (var url in listed.PeerURLs)
        {
            writer.WriteStringValue(url);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("clientURLs");
        foreach (var url in listed.ClientURLs)
        {
            writer.WriteStringValue(url);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>etcd's httptypes.HTTPError.</summary>
    internal static Task WriteMessageAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        buffer.WriteByte((byte)'\n');
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
