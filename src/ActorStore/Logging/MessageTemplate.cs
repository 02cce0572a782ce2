using System.Text;

namespace ActorStore.Logging;

/// <summary>Splits a message template ("took {duration} to apply {count} entries") into text and placeholders.</summary>
internal static class MessageTemplate
{
    internal readonly record struct Segment(string Text, bool IsPlaceholder, string? Format);

    public static List<Segment> Parse(string template)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                literal.Append(c);
                i += 2;
                continue;
            }

            if (c == '{')
            {
                var close = template.IndexOf('}', i + 1);
                if (close < 0)
                {
                    literal.Append(template, i, template.Length - i);
                    break;
                }

                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), false, null));
                    literal.Clear();
                }

                var hole = template[(i + 1)..close];
                var colon = hole.IndexOf(':', StringComparison.Ordinal);
                var name = colon >= 0 ? hole[..colon] : hole;
                var comma = name.IndexOf(',', StringComparison.Ordinal);
                segments.Add(new Segment(comma >= 0 ? name[..comma] : name, true, colon >= 0 ? hole[(colon + 1)..] : null));
                i = close + 1;
                continue;
            }

            literal.Append(c);
            i++;
        }

        if (literal.Length > 0)
        {
            segments.Add(new Segment(literal.ToString(), false, null));
        }

        return segments;
    }
}
