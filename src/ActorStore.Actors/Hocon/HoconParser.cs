using System.Globalization;
using System.Text;

namespace ActorStore.Actors.Hocon;

/// <summary>
/// A single-pass reader from HOCON text to an unresolved tree. Fields for the same key are merged while reading,
/// so the tree it returns has each path once; substitutions stay in place until <see cref="HoconResolver"/> runs.
/// </summary>
internal sealed class HoconParser
{
    private const int MaxIncludeDepth = 32;
    private const string ForbiddenUnquoted = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string? _origin;
    private readonly string? _includeDirectory;
    private readonly int _includeDepth;
    private readonly HoconObjectBuilder _root;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private HoconParser(string text, string? origin, string? includeDirectory, int includeDepth)
    {
        _text = text;
        _origin = origin;
        _includeDirectory = includeDirectory;
        _includeDepth = includeDepth;
        _root = new HoconObjectBuilder(new HoconPosition(origin, 1, 1));
    }

    public static HoconObject Parse(string text, string? origin, string? includeDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new HoconParser(text, origin, includeDirectory, 0);
        parser.ParseDocument();
        return parser._root.Freeze();
    }

    public static IReadOnlyList<string> ParsePathExpression(string path)
    {
        var parser = new HoconParser(path, "path expression", null, 0);
        parser.SkipSpaces();
        var segments = parser.ParseKeySegments("path");
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw new HoconException($"invalid path expression '{path}': unexpected '{parser.Peek()}' at column {parser.Column}");
        }

        return segments;
    }

    public static bool IsForbiddenUnquoted(char c) => ForbiddenUnquoted.Contains(c, StringComparison.Ordinal);

    private bool AtEnd => _pos >= _text.Length;

    private int Column => _pos - _lineStart + 1;

    private HoconPosition Here => new(_origin, _line, Column);

    private char Peek(int offset = 0) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private bool LookingAt(string literal) => string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) == 0;

    private void Advance(int count = 1)
    {
        for (var i = 0; i < count && _pos < _text.Length; i++)
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }
    }

    private HoconParseException Error(string reason) => new(reason, Here);

    private HoconParseException Error(string reason, HoconPosition position) => new(reason, position);

    private void ParseDocument()
    {
        SkipBlank(newlines: true);
        if (Peek() == '{' && !AtEnd)
        {
            Advance();
            ParseFields(_root, [], braced: true);
            SkipBlank(newlines: true);
            if (!AtEnd)
            {
                throw Error($"unexpected '{Peek()}' after the closing '}}' of the root object");
            }
        }
        else
        {
            ParseFields(_root, [], braced: false);
        }
    }

    private void ParseFields(HoconObjectBuilder target, IReadOnlyList<string> prefix, bool braced)
    {
        var opening = Here;
        while (true)
        {
            SkipBlank(newlines: true);
            if (AtEnd)
            {
                if (braced)
                {
                    throw Error("end of input inside an object: expected '}' to close the object opened at " + opening);
                }

                return;
            }

            var c = Peek();
            if (c == '}')
            {
                if (!braced)
                {
                    throw Error("unbalanced '}' with no object to close");
                }

                Advance();
                return;
            }

            if (c == ',')
            {
                throw Error("unexpected ',' where a key was expected");
            }

            string fieldName;
            if (TryParseInclude(target))
            {
                fieldName = "include";
            }
            else
            {
                fieldName = ParseField(target, prefix);
            }

            SkipBlank(newlines: false);
            if (AtEnd)
            {
                continue;
            }

            c = Peek();
            if (c == ',')
            {
                Advance();
            }
            else if (c != '\n' && c != '}')
            {
                throw Error($"expected ',' or a new line after the value of '{fieldName}', found '{c}'");
            }
        }
    }

    private string ParseField(HoconObjectBuilder target, IReadOnlyList<string> prefix)
    {
        var keyPosition = Here;
        var segments = ParseKeySegments("key");
        var keyText = HoconPath.Render(segments);
        SkipSpaces();

        var append = false;
        if (Peek() == '{' && !AtEnd)
        {
            // "a { ... }" needs no separator.
        }
        else if (Peek() == '=' || Peek() == ':')
        {
            Advance();
            SkipBlank(newlines: true);
        }
        else if (LookingAt("+="))
        {
            Advance(2);
            SkipBlank(newlines: true);
            append = true;
        }
        else
        {
            var found = AtEnd ? "end of input" : Peek() == '\n' ? "a new line" : $"'{Peek()}'";
            throw Error($"expected ':' or '=' after the key '{keyText}', found {found}");
        }

        var fullPath = prefix.Concat(segments).ToList();
        var parent = NavigateForAssignment(target, segments.Take(segments.Count - 1));
        var key = segments[^1];
        parent.TryGet(key, out var existing);

        if (append)
        {
            var item = ParseValue(null, null, fullPath, inArray: false, keyText, keyPosition);
            var appended = new HoconArray([item], item.Position);
            HoconValue combined = existing is null
                ? appended
                : new HoconConcatenation([new(existing, ""), new(appended, "")], keyPosition);
            parent.Set(key, combined);
        }
        else
        {
            var value = ParseValue(parent, key, fullPath, inArray: false, keyText, keyPosition);
            Assign(parent, key, value);
        }

        return keyText;
    }

    private static HoconObjectBuilder NavigateForAssignment(HoconObjectBuilder start, IEnumerable<string> segments)
    {
        var current = start;
        foreach (var segment in segments)
        {
            current.TryGet(segment, out var existing);
            if (existing is HoconObjectBuilder builder)
            {
                current = builder;
                continue;
            }

            var child = new HoconObjectBuilder(current.Position);
            current.Set(segment, IsPending(existing) ? new HoconDelayedMerge(child, existing!) : child);
            current = child;
        }

        return current;
    }

    /// <summary>Sets a field the way HOCON merges duplicates: objects merge, anything else replaces.</summary>
    private static void Assign(HoconObjectBuilder parent, string key, HoconValue value)
    {
        if (!parent.TryGet(key, out var existing))
        {
            parent.Set(key, value);
            return;
        }

        if (ReferenceEquals(existing, value))
        {
            return;
        }

        if (value is HoconObjectBuilder incoming && existing is HoconObjectBuilder current)
        {
            MergeInto(current, incoming);
            return;
        }

        // An unresolved value may turn out to be an object to merge, or an undefined ${?x} that keeps the earlier value.
        if (IsPending(value) || (value is HoconObjectBuilder && IsPending(existing)))
        {
            parent.Set(key, new HoconDelayedMerge(value, existing));
            return;
        }

        parent.Set(key, value);
    }

    private static void MergeInto(HoconObjectBuilder target, HoconObjectBuilder source)
    {
        foreach (var key in source.Keys.ToList())
        {
            source.TryGet(key, out var raw);
            Assign(target, key, raw);
        }
    }

    private static bool IsPending(HoconValue? value) => value is HoconSubstitution or HoconConcatenation or HoconDelayedMerge;

    /// <summary>
    /// Reads the values written next to each other up to the end of the field. When the first value is an object
    /// literal and <paramref name="parent"/> already holds an object for <paramref name="key"/>, the literal is read
    /// straight into that object, which is how repeated keys merge.
    /// </summary>
    private HoconValue ParseValue(
        HoconObjectBuilder? parent,
        string? key,
        IReadOnlyList<string> fullPath,
        bool inArray,
        string what,
        HoconPosition fieldPosition)
    {
        var parts = new List<HoconConcatenationPart>();
        var pendingWhitespace = new StringBuilder();
        var start = Here;
        while (!AtEnd)
        {
            var c = Peek();
            if (c == '\n' || c == ',' || c == '}' || c == ']' || c == '#' || LookingAt("//"))
            {
                break;
            }

            if (IsInlineWhitespace(c))
            {
                pendingWhitespace.Append(c);
                Advance();
                continue;
            }

            var partPosition = Here;
            HoconValue part;
            if (c == '{')
            {
                var lastBuilder = parts.Count > 0 ? parts[^1].Value as HoconObjectBuilder : null;
                HoconObjectBuilder target;
                if (lastBuilder is not null)
                {
                    target = lastBuilder;
                }
                else if (parts.Count == 0 && parent is not null && key is not null
                    && parent.TryGet(key, out var existing) && existing is HoconObjectBuilder existingBuilder)
                {
                    target = existingBuilder;
                }
                else
                {
                    target = new HoconObjectBuilder(partPosition);
                }

                Advance();
                ParseFields(target, fullPath, braced: true);
                pendingWhitespace.Clear();
                if (ReferenceEquals(target, lastBuilder))
                {
                    continue;
                }

                part = target;
            }
            else if (c == '[')
            {
                part = ParseArray(fullPath);
            }
            else if (c == '"')
            {
                part = LookingAt("\"\"\"")
                    ? new HoconScalar(ReadTripleQuoted(), HoconScalarKind.String, partPosition)
                    : new HoconScalar(ReadQuoted(), HoconScalarKind.String, partPosition);
            }
            else if (c == '$' && Peek(1) == '{')
            {
                part = ParseSubstitution(fullPath);
            }
            else if (IsUnquotedChar(c))
            {
                part = new UnquotedText(ReadUnquoted(), partPosition);
            }
            else
            {
                throw Error($"reserved character '{c}' is not allowed outside quotes");
            }

            parts.Add(new HoconConcatenationPart(part, parts.Count == 0 ? "" : pendingWhitespace.ToString()));

            pendingWhitespace.Clear();
        }

        if (parts.Count == 0)
        {
            var found = AtEnd ? "end of input" : Peek() == '\n' ? "a new line" : $"'{Peek()}'";
            throw inArray
                ? Error($"expected a list element, found {found}")
                : Error($"expected a value for '{what}', found {found}", Here);
        }

        if (parts.Count == 1)
        {
            return parts[0].Value is UnquotedText unquoted ? Classify(unquoted) : parts[0].Value;
        }

        if (parts.All(static part => part.Value is HoconScalar or UnquotedText))
        {
            var joined = new StringBuilder();
            foreach (var part in parts)
            {
                joined.Append(part.WhitespaceBefore).Append(ScalarText(part.Value));
            }

            return new HoconScalar(joined.ToString(), HoconScalarKind.String, start);
        }

        return new HoconConcatenation(
            parts.Select(static part => part.Value is UnquotedText unquoted
                ? part with { Value = new HoconScalar(unquoted.Text, HoconScalarKind.String, unquoted.Position) }
                : part).ToList(),
            fieldPosition);
    }

    private static string ScalarText(HoconValue value) => value switch
    {
        UnquotedText unquoted => unquoted.Text,
        HoconScalar scalar => scalar.Text,
        _ => throw new InvalidOperationException("not a scalar"),
    };

    private static HoconScalar Classify(UnquotedText unquoted)
    {
        var text = unquoted.Text;
        var kind = text switch
        {
            "true" or "false" => HoconScalarKind.Boolean,
            "null" => HoconScalarKind.Null,
            _ when IsNumber(text) => HoconScalarKind.Number,
            _ => HoconScalarKind.String,
        };
        return new HoconScalar(text, kind, unquoted.Position);
    }

    private static bool IsNumber(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        var digitsStart = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == digitsStart)
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == fractionStart)
            {
                return false;
            }
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && text[i] == '-')
            {
                i++;
            }

            var exponentStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == exponentStart)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private HoconArray ParseArray(IReadOnlyList<string> fullPath)
    {
        var opening = Here;
        Advance();
        var items = new List<HoconValue>();
        while (true)
        {
            SkipBlank(newlines: true);
            if (AtEnd)
            {
                throw Error("end of input inside a list: expected ']' to close the list opened at " + opening);
            }

            if (Peek() == ']')
            {
                Advance();
                return new HoconArray(items, opening);
            }

            if (Peek() == ',')
            {
                throw Error("unexpected ',' where a list element was expected");
            }

            items.Add(ParseValue(null, null, fullPath, inArray: true, "list element", Here));
            SkipBlank(newlines: false);
            if (AtEnd)
            {
                continue;
            }

            var c = Peek();
            if (c == ',')
            {
                Advance();
            }
            else if (c != '\n' && c != ']')
            {
                throw Error($"expected ',' or ']' after a list element, found '{c}'");
            }
        }
    }

    private HoconValue ParseSubstitution(IReadOnlyList<string> fullPath)
    {
        var position = Here;
        Advance(2);
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }

        SkipSpaces();
        var segments = ParseKeySegments("substitution path");
        SkipSpaces();
        if (Peek() != '}' || AtEnd)
        {
            throw Error("expected '}' to close the substitution started at " + position);
        }

        Advance();

        if (segments.SequenceEqual(fullPath, StringComparer.Ordinal))
        {
            // A field that refers to itself means "the value this field had before this line".
            var earlier = FindEarlierValue(fullPath);
            return earlier ?? new HoconSubstitution(segments, optional, position, configLookup: false);
        }

        return new HoconSubstitution(segments, optional, position);
    }

    private HoconValue? FindEarlierValue(IReadOnlyList<string> path)
    {
        HoconValue current = _root;
        foreach (var segment in path)
        {
            if (current is not HoconObjectBuilder builder || !builder.TryGet(segment, out var child))
            {
                return null;
            }

            current = child;
        }

        return current;
    }

    private bool TryParseInclude(HoconObjectBuilder target)
    {
        if (!LookingAt("include") || !IsInlineWhitespace(Peek(7)))
        {
            return false;
        }

        // "include = 1" or "include : 1" is an ordinary key.
        var probe = _pos + 7;
        while (probe < _text.Length && IsInlineWhitespace(_text[probe]))
        {
            probe++;
        }

        if (probe >= _text.Length || (_text[probe] != '"' && !char.IsAsciiLetter(_text[probe])))
        {
            return false;
        }

        var includePosition = Here;
        Advance(7);
        SkipSpaces();

        var required = false;
        if (LookingAt("required("))
        {
            required = true;
            Advance("required(".Length);
            SkipSpaces();
        }

        var closers = 0;
        if (LookingAt("file("))
        {
            Advance("file(".Length);
            SkipSpaces();
            closers++;
        }
        else if (LookingAt("classpath(") || LookingAt("url("))
        {
            throw Error("only file includes are supported (include \"name.conf\" or include file(\"name.conf\"))");
        }

        if (Peek() != '"')
        {
            throw Error("expected a quoted file name after 'include'");
        }

        var fileName = ReadQuoted();
        for (var i = 0; i < closers + (required ? 1 : 0); i++)
        {
            SkipSpaces();
            if (Peek() != ')')
            {
                throw Error("expected ')' in include");
            }

            Advance();
        }

        IncludeFile(target, fileName, required, includePosition);
        return true;
    }

    private void IncludeFile(HoconObjectBuilder target, string fileName, bool required, HoconPosition position)
    {
        if (_includeDepth >= MaxIncludeDepth)
        {
            throw Error($"includes nested deeper than {MaxIncludeDepth} levels (a file including itself?)", position);
        }

        var path = Path.IsPathRooted(fileName) || _includeDirectory is null
            ? fileName
            : Path.Combine(_includeDirectory, fileName);
        if (!File.Exists(path))
        {
            if (required)
            {
                throw Error($"could not find the required include file '{path}'", position);
            }

            return;
        }

        var text = File.ReadAllText(path);
        var included = new HoconParser(text, path, Path.GetDirectoryName(Path.GetFullPath(path)), _includeDepth + 1);
        included.ParseDocument();
        MergeInto(target, included._root);
    }

    private List<string> ParseKeySegments(string what)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var hasContent = false;
        var start = Here;
        while (!AtEnd)
        {
            var c = Peek();
            if (c == '"')
            {
                if (LookingAt("\"\"\""))
                {
                    throw Error($"a {what} cannot be a triple-quoted string");
                }

                current.Append(ReadQuoted());
                hasContent = true;
            }
            else if (c == '.')
            {
                if (!hasContent)
                {
                    throw Error($"the {what} has an empty element (two dots in a row, or a leading dot); quote it if the dot is meant");
                }

                segments.Add(current.ToString());
                current.Clear();
                hasContent = false;
                Advance();
            }
            else if (IsInlineWhitespace(c))
            {
                var whitespaceStart = _pos;
                while (!AtEnd && IsInlineWhitespace(Peek()))
                {
                    Advance();
                }

                if (AtEnd || !(Peek() == '"' || Peek() == '.' || IsUnquotedChar(Peek())) || LookingAt("//"))
                {
                    break;
                }

                current.Append(_text, whitespaceStart, _pos - whitespaceStart);
            }
            else if (IsUnquotedChar(c) && !LookingAt("//"))
            {
                current.Append(c);
                hasContent = true;
                Advance();
            }
            else
            {
                break;
            }
        }

        if (!hasContent)
        {
            if (segments.Count > 0)
            {
                throw Error($"the {what} ends with a dot");
            }

            var found = AtEnd ? "end of input" : $"'{Peek()}'";
            throw Error($"expected a {what}, found {found}", start);
        }

        segments.Add(current.ToString());
        return segments;
    }

    private string ReadQuoted()
    {
        var start = Here;
        Advance();
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("end of input inside a quoted string started at " + start);
            }

            var c = Peek();
            if (c == '"')
            {
                Advance();
                return builder.ToString();
            }

            if (c == '\n')
            {
                throw Error($"new line inside the quoted string started at {start} (use \\n, or a \"\"\" string for several lines)");
            }

            if (c != '\\')
            {
                builder.Append(c);
                Advance();
                continue;
            }

            Advance();
            var escaped = Peek();
            switch (escaped)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    var hex = _pos + 5 <= _text.Length ? _text.Substring(_pos + 1, 4) : "";
                    if (hex.Length != 4 || !int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("\\u must be followed by four hexadecimal digits");
                    }

                    builder.Append((char)code);
                    Advance(4);
                    break;
                default:
                    throw Error($"'\\{escaped}' is not a valid escape in a quoted string");
            }

            Advance();
        }
    }

    private string ReadTripleQuoted()
    {
        var start = Here;
        Advance(3);
        var contentStart = _pos;
        while (true)
        {
            if (AtEnd)
            {
                throw Error("end of input inside a \"\"\" string started at " + start);
            }

            if (LookingAt("\"\"\""))
            {
                // Quotes just before the closing three belong to the string.
                var end = _pos;
                while (end + 3 < _text.Length && _text[end + 3] == '"')
                {
                    end++;
                }

                var content = _text[contentStart..end];
                Advance(end - _pos + 3);
                return content;
            }

            Advance();
        }
    }

    private string ReadUnquoted()
    {
        var start = _pos;
        while (!AtEnd && IsUnquotedChar(Peek()) && !LookingAt("//"))
        {
            Advance();
        }

        return _text[start.._pos];
    }

    private static bool IsUnquotedChar(char c) => !char.IsWhiteSpace(c) && !IsForbiddenUnquoted(c) && c != '\uFEFF';

    private static bool IsInlineWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private void SkipSpaces()
    {
        while (!AtEnd && IsInlineWhitespace(Peek()))
        {
            Advance();
        }
    }

    private void SkipBlank(bool newlines)
    {
        while (!AtEnd)
        {
            var c = Peek();
            if (IsInlineWhitespace(c) || (newlines && c == '\n'))
            {
                Advance();
            }
            else if (c == '#' || LookingAt("//"))
            {
                while (!AtEnd && Peek() != '\n')
                {
                    Advance();
                }
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>Unquoted text while a value is being read; becomes a typed scalar once the whole value is known.</summary>
    private sealed class UnquotedText(string text, HoconPosition position) : HoconValue(position)
    {
        public string Text { get; } = text;

        public override bool IsResolved => true;

        internal override string TypeName => "string";
    }
}
