using ActorStore.Protocol.Text;
using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ActorStore.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorStore.Logging;

/// <summary>
/// Formats one log entry the way etcd's structured logs look:
/// <c>{"level":"info","ts":"2026-11-21T12:00:00.000Z","caller":"category","msg":"became leader","member-id":"8e9e05c52164694d"}</c>.
/// Message-template placeholders become fields named after them. Placeholders at the end of a template
/// ("became leader {member-id}") are left out of "msg", so the message stays constant and searchable as in etcd;
/// when a placeholder sits inside the text, the whole message is rendered as usual. An exception becomes "error" (its message),
/// plus "stacktrace" at error level and above.
/// </summary>
internal static class JsonLogLine
{
    private const string OriginalFormatKey = "{OriginalFormat}";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static string Format(
        LogLevel level,
        DateTimeOffset timestamp,
        string category,
        IReadOnlyList<KeyValuePair<string, object?>>? fields,
        Func<string> render,
        Exception? exception)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("level", LoggingSetup.LevelName(level));
            writer.WriteString("ts", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("caller", category);
            writer.WriteString("msg", Message(fields, render));
            if (fields is not null)
            {
                foreach (var (key, value) in fields)
                {
                    if (key == OriginalFormatKey)
                    {
                        continue;
                    }

                    writer.WritePropertyName(key);
                    WriteValue(writer, value, depth: 0);
                }
            }

            if (exception is not null)
            {
                writer.WriteString("error", exception.Message);
                if (level >= LogLevel.Error)
                {
                    writer.WriteString("stacktrace", exception.ToString());
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Message(IReadOnlyList<KeyValuePair<string, object?>>? fields, Func<string> render)
    {
        string? template = null;
        if (fields is not null)
        {
            foreach (var (key, value) in fields)
            {
                if (key == OriginalFormatKey)
                {
                    template = value as string;
                }
            }
        }

        if (template is null)
        {
            return render();
        }

        var segments = MessageTemplate.Parse(template);
        var keep = segments.Count;
        var trailingPlaceholders = 0;
        while (keep > 0 && (segments[keep - 1].IsPlaceholder || IsSeparator(segments[keep - 1].Text)))
        {
            if (segments[keep - 1].IsPlaceholder)
            {
                trailingPlaceholders++;
            }

            keep--;
        }

        // Only a template whose values all come after its text drops them ("became leader {member-id}");
        // values inside a sentence ("took {took} to apply") stay in it.
        if (trailingPlaceholders == 0 || keep == 0 || segments.Take(keep).Any(static s => s.IsPlaceholder))
        {
            return render();
        }

        return string.Concat(segments.Take(keep).Select(static s => s.Text)).TrimEnd();
    }

    private static bool IsSeparator(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c is not (':' or '=' or ',' or ';' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or sbyte:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case uint or ulong or ushort or byte:
                writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case float number when float.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case TimeSpan duration:
                writer.WriteStringValue(GoDuration.Format(duration));
                break;
            case DateTimeOffset moment:
                writer.WriteStringValue(moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime moment:
                writer.WriteStringValue(moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case Uri uri:
                writer.WriteStringValue(uri.OriginalString);
                break;
            case Exception error:
                writer.WriteStringValue(error.Message);
                break;
            case Enum:
                writer.WriteStringValue(value.ToString());
                break;
            case IEnumerable items when depth < 4:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }
}
