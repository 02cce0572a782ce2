using System.Buffers;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace ActorStore.Gateway.Json;

/// <summary>
/// JSON as etcd 3.4's grpc-gateway writes and reads it (golang/protobuf's jsonpb with OrigName): proto field names,
/// 64-bit integers as strings, bytes as base64, enums by name, default values left out, no whitespace; unknown
/// request fields are ignored as etcd ignores them.
/// </summary>
internal static class GatewayJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default
        .WithPreserveProtoFieldNames(true)
        .WithFormatDefaultValues(false)
        .WithFormatEnumsAsIntegers(false));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public const string ContentType = "application/json";

    /// <summary>The request message a JSON object stands for; throws <see cref="GatewayJsonException"/> when it does not parse.</summary>
    public static TMessage Parse<TMessage>(string json)
        where TMessage : IMessage, new()
    {
        try
        {
            return Parser.Parse<TMessage>(json);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException or InvalidOperationException)
        {
            throw new GatewayJsonException(e.Message);
        }
    }

    /// <summary>The message as compact JSON text.</summary>
    public static string Format(IMessage message) => Compact(Formatter.Format(message));

    /// <summary>Writes a whole unary answer: 200, etcd's headers and the message.</summary>
    public static Task WriteMessageAsync(HttpContext context, IMessage message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        // grpc-gateway forwards the gRPC response's content-type header this way; scripts comparing headers see it.
        response.Headers["Grpc-Metadata-Content-Type"] = "application/grpc";
        var body = Encoding.UTF8.GetBytes(Format(message));
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>grpc-gateway's error answer: {"error":...,"message":...,"code":N} with the HTTP status of the gRPC code.</summary>
    public static Task WriteErrorAsync(HttpContext context, StatusCode code, string message)
    {
        var response = context.Response;
        response.StatusCode = GatewayHttpStatus.FromGrpc(code);
        response.ContentType = ContentType;
        var quoted = Quote(message);
        var body = Encoding.UTF8.GetBytes($"{{\"error\":{quoted},\"message\":{quoted},\"code\":{(int)code}}}");
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, CancellationToken.None).AsTask();
    }

    /// <summary>One line of a streamed answer: {"result":{...}} and a newline.</summary>
    public static byte[] ResultLine(IMessage message) => Encoding.UTF8.GetBytes("{\"result\":" + Format(message) + "}\n");

    /// <summary>
    /// The last chunk of a stream that failed: {"error":{"grpc_code":N,"http_code":N,"message":...,"http_status":...}},
    /// without a newline, as grpc-gateway ends it.
    /// </summary>
    public static byte[] StreamErrorChunk(StatusCode code, string message)
    {
        var http = GatewayHttpStatus.FromGrpc(code);
        var text = new StringBuilder("{\"error\":{");
        if (code != StatusCode.OK)
        {
            text.Append("\"grpc_code\":").Append((int)code).Append(',');
        }
        text.Append("\"http_code\":").Append(http);
        if (message.Length > 0)
        {
            text.Append(",\"message\":").Append(Quote(message));
        }
        text.Append(",\"http_status\":").Append(Quote(GatewayHttpStatus.Text(http))).Append("}}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>A JSON string literal, escaped as Go's encoding/json escapes (HTML-sensitive characters too).</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>Google.Protobuf puts spaces between tokens; grpc-gateway's output has none. Strings are kept as they are.</summary>
    private static string Compact(string json)
    {
        var buffer = ArrayPool<char>.Shared.Rent(json.Length);
        try
        {
            var length = 0;
            var inString = false;
            var escaped = false;
            foreach (var c in json)
            {
                if (inString)
                {
                    buffer[length++] = c;
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c is not (' ' or '\n' or '\r' or '\t'))
                {
                    buffer[length++] = c;
                    inString = c == '"';
                }
            }
            return length == json.Length ? json : new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
