using ActorStore.Protocol.Text;
namespace ActorStore.Configuration;

/// <summary>
/// Reads arguments the way Go's flag package does for etcd: "-flag" or "--flag", "=value" or the next argument,
/// booleans never take the next argument, "--" or the first non-flag argument stops parsing, -h/-help asks for help.
/// </summary>
internal static class CommandLineParser
{
    /// <summary>Finds a flag by name; each command has its own set (the member's is <see cref="FlagCatalog"/>).</summary>
    public delegate bool FlagLookup(string name, out FlagSpec spec);

    public static CommandLine Parse(IReadOnlyList<string> args) => Parse(args, FlagCatalog.TryGet);

    public static CommandLine Parse(IReadOnlyList<string> args, FlagLookup lookup)
    {
        var assignments = new List<(FlagSpec, object?)>();
        var ignored = new List<string>();
        var index = 0;
        while (index < args.Count)
        {
            var arg = args[index];
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            var dashes = arg[1] == '-' ? 2 : 1;
            if (dashes == 2 && arg.Length == 2)
            {
                index++;
                break;
            }

            var name = arg[dashes..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            {
                return Failed($"bad flag syntax: {arg}");
            }

            index++;
            string? value = null;
            var equals = name.IndexOf('=', 1);
            if (equals > 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!lookup(name, out var spec))
            {
                if (name is "help" or "h")
                {
                    return new CommandLine(assignments, HelpRequested: true, null, [], ignored);
                }

                return Failed($"flag provided but not defined: -{name}");
            }

            if (spec.Kind is FlagKind.Bool or FlagKind.Ignored)
            {
                if (spec.Kind == FlagKind.Ignored)
                {
                    ignored.Add(name);
                    continue;
                }

                if (!GoValueSyntax.TryParseBool(value ?? "true", out var flag))
                {
                    return Failed($"invalid boolean value {GoQuote.Quote(value!)} for -{name}: {GoValueSyntax.ParseError}");
                }

                assignments.Add((spec, flag));
                continue;
            }

            if (value is null)
            {
                if (index >= args.Count)
                {
                    return Failed($"flag needs an argument: -{name}");
                }

                value = args[index++];
            }

            var error = FlagValueParser.TryParse(spec, value, out var parsed);
            if (error is not null)
            {
                return Failed($"invalid value {GoQuote.Quote(value)} for flag -{name}: {error}");
            }

            assignments.Add((spec, parsed));
        }

        return new CommandLine(assignments, HelpRequested: false, null, args.Skip(index).ToList(), ignored);
    }

    private static CommandLine Failed(string error) => new([], false, error, [], []);
}
