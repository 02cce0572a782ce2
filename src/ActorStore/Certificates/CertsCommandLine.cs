using ActorStore.Protocol.Text;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using ActorStore.Configuration;
using ActorStore.Server.Certificates;

namespace ActorStore.Certificates;

/// <summary>
/// Reads `actorstore certs` flags with the member's flag syntax (Go's flag package: -flag or --flag, =value or the
/// next argument) and checks them, so that nothing is made from a request that is wrong.
/// </summary>
internal static partial class CertsCommandLine
{
    public const string DirFlag = "dir";
    public const string CaFlag = "ca";
    public const string MemberFlag = "member";
    public const string HostsFlag = "hosts";
    public const string ClientFlag = "client";
    public const string DefaultDirectory = ".";

    /// <summary>RFC 5280's upper bound for a common name.</summary>
    private const int MaxNameLength = 64;

    private const string Group = "certs";

    /// <summary>The flags in the order the help lists them.</summary>
    public static IReadOnlyList<FlagSpec> Flags { get; } =
    [
        new(DirFlag, FlagKind.String, Group, "Directory for the certificates and keys; made when missing."),
        new(CaFlag, FlagKind.Bool, Group, "Make the CA, ca.pem and ca-key.pem. Without it, the CA already in --dir signs."),
        new(MemberFlag, FlagKind.String, Group, "Make NAME.pem and NAME-key.pem for a member: common name NAME, for server and client use (members dial their peers), valid for the --hosts."),
        new(HostsFlag, FlagKind.Strings, Group, "The member's IP addresses and DNS names, separated by commas (subject alternative names)."),
        new(ClientFlag, FlagKind.String, Group, "Make NAME.pem and NAME-key.pem for a client: common name NAME, for client use. With --client-cert-auth etcd takes the common name as the user name."),
    ];

    private static readonly FrozenDictionary<string, FlagSpec> ByName = Flags.ToFrozenDictionary(static spec => spec.Name, StringComparer.Ordinal);

    /// <summary>The request, or what is wrong with the arguments and whether it is a syntax error (shown with the usage).</summary>
    public static (CertsRequest? Request, bool HelpRequested, string? Error, bool SyntaxError) Parse(IReadOnlyList<string> args)
    {
        var commandLine = CommandLineParser.Parse(args, static (string name, out FlagSpec spec) => ByName.TryGetValue(name, out spec!));
        if (commandLine.Error is not null)
        {
            return (null, false, commandLine.Error, true);
        }
        if (commandLine.HelpRequested)
        {
            return (null, true, null, false);
        }
        var error = Check(commandLine);
        if (error is not null)
        {
            return (null, false, error, false);
        }

        var directory = commandLine.LastValue(DirFlag) as string ?? DefaultDirectory;
        var makeCa = commandLine.LastValue(CaFlag) is true;
        LeafRequest? leaf = null;
        if (commandLine.LastValue(MemberFlag) is string member)
        {
            var hosts = ((List<string>)commandLine.LastValue(HostsFlag)!).Select(static host => host.Trim()).ToList();
            leaf = new LeafRequest(member, IsMember: true, hosts);
        }
        else if (commandLine.LastValue(ClientFlag) is string client)
        {
            leaf = new LeafRequest(client, IsMember: false, []);
        }
        return (new CertsRequest(directory, makeCa, leaf), false, null, false);
    }

    private static string? Check(CommandLine commandLine)
    {
        if (commandLine.Positional.Count > 0)
        {
            return $"'{commandLine.Positional[0]}' is not a valid flag";
        }
        foreach (var once in (string[])[MemberFlag, ClientFlag, HostsFlag])
        {
            if (commandLine.Assignments.Count(a => a.Spec.Name == once) > 1)
            {
                return $"--{once} is given more than once: make one certificate per call";
            }
        }
        var member = commandLine.LastValue(MemberFlag) as string;
        var client = commandLine.LastValue(ClientFlag) as string;
        var hasHosts = commandLine.IsSet(HostsFlag);
        if (member is not null && client is not null)
        {
            return "--member and --client are both given: make one certificate per call";
        }
        if (member is null && client is null && commandLine.LastValue(CaFlag) is not true)
        {
            return "nothing to make: give --ca, --member NAME --hosts HOSTS, or --client NAME";
        }
        if (commandLine.LastValue(DirFlag) is "")
        {
            return "--dir is empty: name a directory ('.' for the current one)";
        }
        if (member is not null)
        {
            return CheckName(MemberFlag, member)
                ?? (hasHosts ? CheckHosts((List<string>)commandLine.LastValue(HostsFlag)!) : $"--member {member} needs --hosts: the IP addresses and DNS names peers and clients reach it at");
        }
        if (hasHosts)
        {
            return "--hosts goes with --member: client certificates name a user, not hosts";
        }
        return client is null ? null : CheckName(ClientFlag, client);
    }

    private static string? CheckName(string flag, string name)
    {
        if (name.Length == 0)
        {
            return $"--{flag} is empty: give the name the certificate is for";
        }
        if (name.Length > MaxNameLength)
        {
            return $"--{flag} {name} is too long: a common name has at most {MaxNameLength} characters";
        }
        if (!FileNameSafe().IsMatch(name))
        {
            return $"--{flag} {GoQuote.Quote(name)} cannot be a file name: use letters, digits, '.', '_' and '-', starting with a letter or digit";
        }
        // The CA's files and every certificate's key file are named after these patterns.
        if (name == "ca" || name.EndsWith("-key", StringComparison.Ordinal))
        {
            return $"--{flag} {name} would clash with {(name == "ca" ? "the CA's files" : "another certificate's key file")}: choose another name";
        }
        return null;
    }

    private static string? CheckHosts(List<string> hosts)
    {
        foreach (var raw in hosts)
        {
            var host = raw.Trim();
            if (host.Length == 0)
            {
                return $"--hosts {GoQuote.Quote(string.Join(',', hosts))} has an empty entry";
            }
            var problem = CheckHost(host);
            if (problem is not null)
            {
                return $"--hosts: {GoQuote.Quote(host)} {problem}";
            }
        }
        return null;
    }

    /// <summary>An IPv4 address in dotted-quad form, an IPv6 address, or a DNS name (a leading "*." for a wildcard).</summary>
    private static string? CheckHost(string host)
    {
        if (host.Contains(':') || host.StartsWith('['))
        {
            return CertificateFields.TryParseIpAddress(host, out _) ? null : "is not a valid IPv6 address";
        }
        var labels = host.Split('.');
        // All-numeric names are mistyped IPv4 addresses ("10.0.0.300", "10.1"), never DNS names.
        if (labels.All(static label => label.Length > 0 && label.All(char.IsAsciiDigit)))
        {
            return labels.Length == 4 && labels.All(static label => label.Length <= 3 && int.Parse(label, CultureInfo.InvariantCulture) <= 255)
                ? null
                : "is not a valid IPv4 address (four numbers 0-255 separated by dots)";
        }
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length <= 253 && name.Split('.').All(static label => DnsLabel().IsMatch(label))
            ? null
            : "is neither an IP address nor a DNS name (letters, digits and '-' in dot-separated labels)";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex FileNameSafe();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
