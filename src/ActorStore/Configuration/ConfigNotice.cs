using Microsoft.Extensions.Logging;

namespace ActorStore.Configuration;

/// <summary>
/// A message for the log produced while loading the configuration, before any logger exists.
/// <see cref="Fields"/> become structured fields of the log line.
/// </summary>
public sealed record ConfigNotice(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    public ConfigNotice(LogLevel level, string message)
        : this(level, message, [])
    {
    }

    /// <summary>Writes the notice with its fields as structured state.</summary>
    public void WriteTo(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        logger.Log(Level, default, new NoticeState(this), null, static (state, _) => state.Notice.Message);
    }

    public override string ToString() =>
        Fields.Count == 0 ? Message : $"{Message} ({string.Join(", ", Fields.Select(static f => $"{f.Key}={f.Value}"))})";

    /// <summary>Log state as a list of fields, the shape structured loggers read.</summary>
    private sealed class NoticeState(ConfigNotice notice) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public ConfigNotice Notice { get; } = notice;

        public int Count => Notice.Fields.Count;

        public KeyValuePair<string, object?> this[int index] => Notice.Fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Notice.Message;
    }
}
