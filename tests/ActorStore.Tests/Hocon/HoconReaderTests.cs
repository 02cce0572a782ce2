using ActorStore.Actors.Hocon;
using Xunit;

namespace ActorStore.Tests.Hocon;

public sealed class HoconReaderTests
{
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private static HoconConfig Parse(string text, IReadOnlyDictionary<string, string?>? environment = null) =>
        HoconConfig.Parse(text, "test.conf", environment ?? NoEnvironment);

    [Fact]
    public void Root_without_braces_and_with_braces_read_the_same()
    {
        var bare = Parse("a = 1\nb = two");
        var braced = Parse("{ a = 1, b = two }");

        Assert.Equal(1, bare.GetInt("a"));
        Assert.Equal("two", bare.GetString("b"));
        Assert.Equal(1, braced.GetInt("a"));
        Assert.Equal("two", braced.GetString("b"));
    }

    [Fact]
    public void Colon_equals_and_object_shorthand_all_assign()
    {
        var config = Parse("a: 1\nb = 2\nc { d = 3 }");

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal(3, config.GetInt("c.d"));
    }

    [Fact]
    public void Dotted_keys_build_nested_objects()
    {
        var config = Parse("actorstore.raft.heartbeat-interval = 100ms\nactorstore.raft.election-timeout = 1s");

        Assert.Equal(TimeSpan.FromMilliseconds(100), config.GetTimeSpan("actorstore.raft.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(1), config.GetConfig("actorstore.raft").GetTimeSpan("election-timeout"));
    }

    [Fact]
    public void Quoted_key_keeps_its_dots()
    {
        var config = Parse("\"a.b\" = 1\na.b = 2");

        Assert.Equal(1, config.GetInt("\"a.b\""));
        Assert.Equal(2, config.GetInt("a.b"));
    }

    [Fact]
    public void Both_comment_styles_are_ignored()
    {
        var config = Parse("# a comment\na = 1 # trailing\n// another\nb = 2 // trailing too\nc = \"# not a comment\"");

        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
        Assert.Equal("# not a comment", config.GetString("c"));
    }

    [Fact]
    public void Quoted_strings_decode_escapes()
    {
        var config = Parse("a = \"tab\\there \\\"quoted\\\" \\u0041\"");

        Assert.Equal("tab\there \"quoted\" A", config.GetString("a"));
    }

    [Fact]
    public void Triple_quoted_strings_span_lines_without_escapes()
    {
        var config = Parse("a = \"\"\"first\nsecond \\n \"quoted\"\"\"\"\nb = 1");

        Assert.Equal("first\nsecond \\n \"quoted\"", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Unquoted_values_keep_inner_whitespace()
    {
        var config = Parse("a = hello   world  \nb = 5 s");

        Assert.Equal("hello   world", config.GetString("a"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("b"));
    }

    [Fact]
    public void Scalars_are_typed()
    {
        var config = Parse("n = -12.5\nt = true\nz = null\ns = \"12\"");

        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)config.GetValue("n")).Kind);
        Assert.Equal(-12.5, config.GetDouble("n"));
        Assert.True(config.GetBool("t"));
        Assert.False(config.HasPath("z"));
        Assert.Equal(12, config.GetInt("s"));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    public void Booleans_accept_the_usual_words(string text, bool expected)
    {
        Assert.Equal(expected, Parse($"a = {text}").GetBool("a"));
    }

    [Fact]
    public void Arrays_span_lines_and_allow_trailing_commas()
    {
        var config = Parse("urls = [\n  \"http://a:1\",\n  \"http://b:2\",\n]\nnums = [1, 2, 3]");

        Assert.Equal(["http://a:1", "http://b:2"], config.GetStringList("urls"));
        Assert.Equal(["1", "2", "3"], config.GetStringList("nums"));
    }

    [Fact]
    public void Repeated_objects_merge_and_later_scalars_win()
    {
        var config = Parse("a { x = 1, y = 1 }\na { y = 2, z = 3 }\nb = 1\nb = 2");

        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal(3, config.GetInt("a.z"));
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void A_scalar_between_two_objects_stops_the_merge()
    {
        var config = Parse("a { x = 1 }\na = 5\na { y = 2 }");

        Assert.False(config.HasPath("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void Substitutions_refer_to_other_settings_even_later_ones()
    {
        var config = Parse("a = ${b.c}\nb { c = 42 }\npath = ${b.c}\"/bin\"");

        Assert.Equal(42, config.GetInt("a"));
        Assert.Equal("42/bin", config.GetString("path"));
    }

    [Fact]
    public void Optional_substitution_reads_the_environment_or_vanishes()
    {
        var environment = new Dictionary<string, string?> { ["ACTORSTORE_NAME"] = "from-env" };
        var config = Parse("name = default\nname = ${?ACTORSTORE_NAME}\nother = keep\nother = ${?MISSING}", environment);

        Assert.Equal("from-env", config.GetString("name"));
        Assert.Equal("keep", config.GetString("other"));
    }

    [Fact]
    public void Self_reference_sees_the_earlier_value()
    {
        var config = Parse("path = \"/usr\"\npath = ${path}\":/bin\"\nlist = [1]\nlist += 2");

        Assert.Equal("/usr:/bin", config.GetString("path"));
        Assert.Equal(["1", "2"], config.GetStringList("list"));
    }

    [Fact]
    public void Object_substitution_can_be_extended()
    {
        var config = Parse("defaults { a = 1, b = 2 }\nmine = ${defaults} { b = 3 }");

        Assert.Equal(1, config.GetInt("mine.a"));
        Assert.Equal(3, config.GetInt("mine.b"));
    }

    [Fact]
    public void Array_concatenation_joins_lists()
    {
        var config = Parse("base = [a, b]\nall = ${base} [c]");

        Assert.Equal(["a", "b", "c"], config.GetStringList("all"));
    }

    [Fact]
    public void With_fallback_fills_gaps_and_merges_objects()
    {
        var reference = HoconConfig.ParseUnresolved("actorstore { name = default, raft { heartbeat-interval = 100ms, election-timeout = 1s } }");
        var user = HoconConfig.ParseUnresolved("actorstore.raft.election-timeout = 2s\nactorstore.copy = ${actorstore.name}");

        var merged = user.WithFallback(reference).Resolve(NoEnvironment);

        Assert.Equal("default", merged.GetString("actorstore.name"));
        Assert.Equal("default", merged.GetString("actorstore.copy"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), merged.GetTimeSpan("actorstore.raft.heartbeat-interval"));
        Assert.Equal(TimeSpan.FromSeconds(2), merged.GetTimeSpan("actorstore.raft.election-timeout"));
    }

    [Theory]
    [InlineData("100ms", 100)]
    [InlineData("5 s", 5000)]
    [InlineData("2m", 120_000)]
    [InlineData("1 hour", 3_600_000)]
    [InlineData("250", 250)]
    [InlineData("1.5 seconds", 1500)]
    public void Durations_understand_units(string text, long expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Parse($"a = {text}").GetTimeSpan("a"));
    }

    [Theory]
    [InlineData("1.5MiB", 1_572_864)]
    [InlineData("64kB", 64_000)]
    [InlineData("64 K", 65_536)]
    [InlineData("2 GiB", 2_147_483_648)]
    [InlineData("1572864", 1_572_864)]
    [InlineData("10 bytes", 10)]
    public void Byte_sizes_understand_units(string text, long expected)
    {
        Assert.Equal(expected, Parse($"a = {text}").GetByteSize("a"));
    }

    [Fact]
    public void Include_merges_a_file_next_to_the_including_one()
    {
        var directory = Directory.CreateTempSubdirectory("hocon-include-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "base.conf"), "a { x = 1, y = 1 }");
            var mainPath = Path.Combine(directory.FullName, "main.conf");
            File.WriteAllText(mainPath, "include \"base.conf\"\na.y = 2\ninclude \"missing.conf\"");

            var config = HoconConfig.ParseFileUnresolved(mainPath).Resolve(NoEnvironment);

            Assert.Equal(1, config.GetInt("a.x"));
            Assert.Equal(2, config.GetInt("a.y"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Required_include_of_a_missing_file_fails()
    {
        var error = Assert.Throws<HoconParseException>(() => HoconConfig.ParseUnresolved("include required(file(\"/nonexistent/x.conf\"))"));

        Assert.Contains("could not find", error.Message);
    }

    [Theory]
    [InlineData("a = 1\nb = \"unterminated\n", 2, 18, "new line inside the quoted string started at bad.conf:2:5")]
    [InlineData("a {\n  b = 1\n", 3, 1, "expected '}'")]
    [InlineData("a = [1, 2", 1, 10, "expected ']'")]
    [InlineData("a = 1\nb 2", 2, 4, "expected ':' or '=' after the key")]
    [InlineData("a = 1 2 }", 1, 9, "unbalanced '}'")]
    [InlineData("a = ${b", 1, 8, "expected '}' to close the substitution")]
    [InlineData("a..b = 1", 1, 3, "empty element")]
    [InlineData("a = @x", 1, 5, "reserved character '@'")]
    [InlineData("a =\n", 2, 1, "expected a value for 'a'")]
    public void Syntax_errors_report_line_and_column(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<HoconParseException>(() => HoconConfig.ParseUnresolved(text, "bad.conf"));

        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith($"bad.conf:{line}:{column}: ", error.Message);
    }

    [Fact]
    public void Missing_substitution_is_an_error_with_its_position()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = 1\nb = ${nope}"));

        Assert.Equal(2, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("${nope}", error.Message);
    }

    [Fact]
    public void Substitution_cycles_are_reported()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = ${b}\nb = ${a}"));

        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void Concatenating_a_list_with_a_string_fails()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("l = [1]\ns = ${l} x"));

        Assert.Contains("cannot concatenate", error.Message);
    }

    [Fact]
    public void Getters_name_the_path_and_the_problem()
    {
        var config = Parse("a = hello\nb { c = 1 }");

        var missing = Assert.Throws<HoconException>(() => config.GetString("nope.x"));
        var wrongNumber = Assert.Throws<HoconException>(() => config.GetInt("a"));
        var wrongDuration = Assert.Throws<HoconException>(() => config.GetTimeSpan("a"));
        var notScalar = Assert.Throws<HoconException>(() => config.GetString("b"));

        Assert.Contains("'nope.x'", missing.Message);
        Assert.Contains("test.conf:1:5", wrongNumber.Message);
        Assert.Contains("\"hello\"", wrongDuration.Message);
        Assert.Contains("object", notScalar.Message);
    }

    [Fact]
    public void Defaults_apply_only_when_the_setting_is_absent()
    {
        var config = Parse("a = 3");

        Assert.Equal(3, config.GetInt("a", 7));
        Assert.Equal(7, config.GetInt("b", 7));
        Assert.Equal("x", config.GetString("c", "x"));
    }

    [Fact]
    public void Self_referencing_object_is_extended()
    {
        var config = Parse("a { x = 1 }\na = ${a} { y = 2 }\nb.c { d = 1 }\nb { c.e = 2 }\nl += first");

        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal(1, config.GetInt("b.c.d"));
        Assert.Equal(2, config.GetInt("b.c.e"));
        Assert.Equal(["first"], config.GetStringList("l"));
    }

    [Fact]
    public void Unquoted_text_may_hold_dots_and_dashes_and_keys_may_be_quoted()
    {
        var config = Parse("{\n  version = 1.2.3, plugin = akka.persistence-sqlite\n  \"with space\" = yes\n} # done");

        Assert.Equal("1.2.3", config.GetString("version"));
        Assert.Equal("akka.persistence-sqlite", config.GetString("plugin"));
        Assert.True(config.GetBool("\"with space\""));
    }
}
