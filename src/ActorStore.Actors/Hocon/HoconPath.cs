using System.Text;

namespace ActorStore.Actors.Hocon;

/// <summary>Path expressions such as <c>actorstore.member."data-dir"</c>: dots split elements unless quoted.</summary>
internal static class HoconPath
{
    public static IReadOnlyList<string> Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return HoconParser.ParsePathExpression(path);
    }

    public static string Render(IEnumerable<string> segments) => string.Join('.', segments.Select(RenderSegment));

    public static string Key(IReadOnlyList<string> segments) => string.Join('\u0001', segments);

    private static string RenderSegment(string segment)
    {
        var plain = segment.Length > 0 && segment.All(static c => !char.IsWhiteSpace(c) && c != '.' && !HoconParser.IsForbiddenUnquoted(c));
        if (plain)
        {
            return segment;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in segment)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
