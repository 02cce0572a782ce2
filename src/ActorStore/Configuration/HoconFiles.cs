using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorStore.Configuration;

/// <summary>
/// Reads HOCON with Akka's own parser (Akka.Configuration), layered over reference.conf, and turns what Akka does
/// badly or not at all into clear errors: structural mistakes it accepts silently (see <see cref="HoconSyntaxCheck"/>),
/// substitution cycles that would overflow its stack, and environment substitutions it cannot resolve.
/// </summary>
internal static partial class HoconFiles
{
    /// <summary>The name under which a user's file includes the reference; a file cannot be called this.</summary>
    private const string ReferenceInclude = "<actorstore reference.conf>";

    /// <summary>Deep enough for any sensible layout, shallow enough that a file including itself stops early.</summary>
    private const int MaxIncludeDepth = 16;

    /// <summary>Parses reference.conf on its own; it ships with the program, so a failure is a bug.</summary>
    public static Config ParseReference(string text)
    {
        var error = TryParse("reference.conf", text, "", _ => null, out var root);
        return error is null ? new Config(root) : throw new InvalidOperationException($"reference.conf is broken: {error}");
    }

    /// <summary>
    /// Parses the file at <paramref name="path"/> as if it began by including reference.conf, so that its settings
    /// override the reference's and its substitutions can refer to the reference's values.
    /// </summary>
    /// <param name="userSet">Those of <paramref name="watchedPaths"/> that the file (or a file it includes) sets.</param>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static string? TryParseFile(
        string path, string referenceText, IReadOnlyList<string> watchedPaths, out Config merged, out IReadOnlySet<string> userSet)
    {
        merged = Config.Empty;
        userSet = new HashSet<string>();
        var text = File.ReadAllText(path);
        var before = new Dictionary<string, IHoconElement[]>(StringComparer.Ordinal);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var error = TryParse(path, text, $"include \"{ReferenceInclude}\"\n", Include, out var root);
        if (error is not null)
        {
            return error;
        }

        merged = new Config(root);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var watched in watchedPaths)
        {
            // Akka merges the file into the reference's own values, so a setting the file assigned holds new elements.
            if (merged.HasPath(watched)
                && (!before.TryGetValue(watched, out var original) || !merged.GetValue(watched).Values.SequenceEqual(original, ReferenceEqualityComparer.Instance)))
            {
                set.Add(watched);
            }
        }

        userSet = set;
        return null;

        HoconRoot? Include(string name)
        {
            if (name != ReferenceInclude)
            {
                return IncludeFile(Path.Combine(directory, name), depth: 1);
            }

            var reference = Parser.Parse(referenceText, _ => null);
            var referenceConfig = new Config(reference);
            foreach (var watched in watchedPaths)
            {
                if (referenceConfig.HasPath(watched))
                {
                    before[watched] = referenceConfig.GetValue(watched).Values.ToArray();
                }
            }

            return reference;
        }
    }

    /// <summary>An included file: relative to the including one; a missing file includes nothing, as HOCON says.</summary>
    private static HoconRoot IncludeFile(string path, int depth)
    {
        if (depth > MaxIncludeDepth)
        {
            throw new IncludeFailedException($"{path}: includes nest deeper than {MaxIncludeDepth} (does a file include itself?)");
        }

        if (!File.Exists(path))
        {
            return Parser.Parse("", _ => null);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IncludeFailedException($"include {path}: {e.Message}");
        }

        var directory = Path.GetDirectoryName(path) ?? ".";
        var error = TryParse(path, text, "", name => IncludeFile(Path.Combine(directory, name), depth + 1), out var root);
        return error is null ? root : throw new IncludeFailedException(error);
    }

    private static string? TryParse(string name, string text, string prefix, Func<string, HoconRoot?> include, out HoconRoot root)
    {
        root = new HoconRoot(new HoconValue());
        var syntax = HoconSyntaxCheck.Check(text);
        if (syntax is not null)
        {
            return $"{name}:{syntax}";
        }

        try
        {
            root = Parser.Parse(prefix + text, include!);
        }
        catch (IncludeFailedException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is FormatException or ConfigurationException or NotSupportedException or InvalidOperationException
            || e.GetType() == typeof(Exception))
        {
            return Describe(name, e.Message, text, prefix.Length);
        }

        foreach (var substitution in root.Substitutions)
        {
            if (substitution.Path.Length == 0)
            {
                return $"{name}: optional substitutions (${{?NAME}}) are not supported by Akka's HOCON; set ActorStore's settings with ACTORSTORE_* or ETCD_* variables instead";
            }
        }

        var cycle = FindCycle(root.Value, new HashSet<HoconValue>(ReferenceEqualityComparer.Instance), new HashSet<HoconValue>(ReferenceEqualityComparer.Instance));
        return cycle is null
            ? null
            : $"{name}: substitution ${{{cycle}}} refers back to itself (Akka's HOCON resolves neither self-references such as a = ${{a}}\"x\" nor cycles)";
    }

    /// <summary>Akka's messages carry no line; its "position" is an offset into the text it was given.</summary>
    private static string Describe(string name, string message, string text, int prefixLength)
    {
        var firstLine = message.Split('\n')[0].Trim();
        var match = TokenPosition().Match(firstLine);
        if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            offset = Math.Clamp(offset - prefixLength, 0, text.Length);
            var line = 1 + text.AsSpan(0, offset).Count('\n');
            var column = offset - (text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1) + 1;
            if (offset > 0 && text[offset - 1] == '\n')
            {
                column = 1;
            }

            return $"{name}:{line}:{column}: unknown token";
        }

        if (firstLine.StartsWith("Unresolved substitution:", StringComparison.Ordinal))
        {
            var missing = firstLine["Unresolved substitution:".Length..].Trim();
            return $"{name}: unresolved substitution ${{{missing}}}: no such setting (Akka's HOCON does not read environment variables)";
        }

        return $"{name}: {firstLine}";
    }

    /// <summary>Walks values and the substitutions they hold; a value met again on the current walk is a cycle.</summary>
    private static string? FindCycle(HoconValue value, HashSet<HoconValue> onPath, HashSet<HoconValue> done)
    {
        if (done.Contains(value))
        {
            return null;
        }

        onPath.Add(value);
        foreach (var element in value.Values)
        {
            var found = element switch
            {
                HoconSubstitution { ResolvedValue: { } target } substitution =>
                    onPath.Contains(target) ? substitution.Path : FindCycle(target, onPath, done),
                HoconObject obj => obj.Items.Values.Select(item => FindCycle(item, onPath, done)).FirstOrDefault(static c => c is not null),
                HoconArray array => array.Select(item => FindCycle(item, onPath, done)).FirstOrDefault(static c => c is not null),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }

        onPath.Remove(value);
        done.Add(value);
        return null;
    }

    [GeneratedRegex(@"^Unknown token at position (\d+)")]
    private static partial Regex TokenPosition();

    /// <summary>An include that failed, already described with the included file's name.</summary>
    private sealed class IncludeFailedException(string message) : Exception(message);
}
