namespace ActorStore.Configuration;

/// <summary>
/// Catches the HOCON mistakes that Akka's parser lets through without a word (an unterminated string, a brace or
/// bracket left open or closed twice, an unclosed substitution), so they fail with a line and column instead of
/// silently swallowing the rest of the file. Akka's parser still decides what the text means.
/// </summary>
internal static class HoconSyntaxCheck
{
    /// <summary>Returns "line:column: reason", or null when the structure is sound.</summary>
    public static string? Check(string text)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        var line = 1;
        var column = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var startLine = line;
            var startColumn = column;
            if (c == '#' || (c == '/' && At(text, i, "//")))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    Advance(1);
                }

                continue;
            }

            if (At(text, i, "\"\"\""))
            {
                Advance(3);
                while (i < text.Length && !At(text, i, "\"\"\""))
                {
                    Advance(1);
                }

                if (i >= text.Length)
                {
                    return $"{startLine}:{startColumn}: the triple-quoted string is never closed";
                }

                // A triple-quoted string ends at its last run of quotes.
                while (At(text, i, "\"\"\"\""))
                {
                    Advance(1);
                }

                Advance(3);
                continue;
            }

            if (c == '"')
            {
                Advance(1);
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\n')
                    {
                        return $"{line}:{column}: new line inside the quoted string started at {startLine}:{startColumn}";
                    }

                    Advance(text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n' ? 2 : 1);
                }

                if (i >= text.Length)
                {
                    return $"{startLine}:{startColumn}: the quoted string is never closed";
                }

                Advance(1);
                continue;
            }

            if (At(text, i, "${"))
            {
                var end = text.IndexOf('}', i);
                var newline = text.IndexOf('\n', i);
                if (end < 0 || (newline >= 0 && newline < end))
                {
                    return $"{startLine}:{startColumn}: expected '}}' to close the substitution";
                }

                Advance(end + 1 - i);
                continue;
            }

            switch (c)
            {
                case '{' or '[':
                    open.Push((c, line, column));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0 || open.Peek().Bracket != expected)
                    {
                        return $"{line}:{column}: unbalanced '{c}'";
                    }

                    open.Pop();
                    break;
            }

            Advance(1);
        }

        if (open.Count > 0)
        {
            var (bracket, openLine, openColumn) = open.Peek();
            return $"{line}:{column}: expected '{(bracket == '{' ? '}' : ']')}' to close the '{bracket}' at {openLine}:{openColumn}";
        }

        return null;

        void Advance(int count)
        {
            for (var k = 0; k < count && i < text.Length; k++, i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }
    }

    private static bool At(string text, int index, string what) =>
        string.CompareOrdinal(text, index, what, 0, what.Length) == 0;
}
