using System.Text;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Health;

/// <summary>Answers as Go's net/http writes them (http.Error and the GET-only checks of etcd's handlers).</summary>
internal static class PlainHttp
{
    /// <summary>True for GET; otherwise answers 405 with Allow: GET, as etcd's health and version handlers do.</summary>
    public static async Task<bool> OnlyGetAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return true;
        }
        context.Response.Headers.Allow = "GET";
        await ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed").ConfigureAwait(false);
        return false;
    }

    /// <summary>Go's http.Error: plain text, nosniff, the text and a newline.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TextAsync(context, text + "\n");
    }

    public static Task TextAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var body = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
