using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// The same etcdctl command line over TLS against the etcd cluster, then the ActorStore one, compared as
/// <see cref="Differential"/> compares: exit code, stdout and "Error" lines. Set aside is only what differs between any
/// two clusters: each member's URLs and id (named after the member instead), cluster id, raft term (as Differential
/// does) and durations; a command can ask for more (table columns, lease ids) and for its lines in any order.
/// </summary>
public static partial class SeedsOutput
{
    public sealed record Options
    {
        /// <summary>For output whose line order is not fixed (health checks run in parallel, members listed by id).</summary>
        public bool SortLines { get; init; }

        /// <summary>All of stderr is compared, not only its "Error" lines: `endpoint health` reports there.</summary>
        public bool WholeStdErr { get; init; }

        /// <summary>Table columns whose cells are replaced by a placeholder (db size, raft indexes).</summary>
        public IReadOnlyList<string> VaryingColumns { get; init; } = [];

        /// <summary>Applied to each side's output after the common normalisation (a <c>LeaseIdNormalizer</c> per side, say).</summary>
        public Func<MemberKind, string, string>? Extra { get; init; }
    }

    public static Task<(CommandResult Etcd, CommandResult ActorStore)> SameAsync(
        SeedsTlsClusters clusters, Func<SeedsTlsCluster, Etcdctl> target, params string[] args) =>
        SameAsync(clusters, target, new Options(), args);

    public static async Task<(CommandResult Etcd, CommandResult ActorStore)> SameAsync(
        SeedsTlsClusters clusters, Func<SeedsTlsCluster, Etcdctl> target, Options options, params string[] args)
    {
        var expected = await clusters.Etcd.RunAsync(target(clusters.Etcd), args);
        var actual = await clusters.ActorStore.RunAsync(target(clusters.ActorStore), args);
        var what = "etcdctl " + string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code\netcd: {expected}\nactorstore: {actual}\n{clusters.ActorStore.Nodes.Logs()}");
        Assert.Equal(
            await NormalizeAsync(clusters.Etcd, expected.StdOut, options),
            await NormalizeAsync(clusters.ActorStore, actual.StdOut, options));
        Assert.Equal(
            await NormalizeAsync(clusters.Etcd, options.WholeStdErr ? expected.StdErr : ErrorLines(expected.StdErr), options),
            await NormalizeAsync(clusters.ActorStore, options.WholeStdErr ? actual.StdErr : ErrorLines(actual.StdErr), options));
        return (expected, actual);
    }

    public static async Task<string> NormalizeAsync(SeedsTlsCluster cluster, string output, Options options)
    {
        var members = await cluster.Nodes.MemberListAsync();
        foreach (var member in cluster.Nodes.Members)
        {
            output = output
                .Replace(cluster.SecureUrl(member.Name), $"<{member.Name} client url>", StringComparison.Ordinal)
                .Replace(member.PeerUrl, $"<{member.Name} peer url>", StringComparison.Ordinal);
        }
        foreach (var member in members)
        {
            output = Regex.Replace(output, $@"(?<![0-9a-f]){member.HexId}(?![0-9a-f])", $"<{member.Name} id>");
        }
        output = Took().Replace(Differential.Normalize(output), "took = <duration>");
        output = NormalizeTable(output, options.VaryingColumns);
        if (options.Extra is not null)
        {
            output = options.Extra(cluster.Kind, output);
        }
        return options.SortLines ? string.Join('\n', output.Split('\n').Order(StringComparer.Ordinal)) : output;
    }

    /// <summary>
    /// etcdctl's tables pad every column to its widest cell, so a wider id or size moves every border: rows become
    /// their trimmed cells, the borders go, and cells of the varying columns become placeholders.
    /// </summary>
    public static string NormalizeTable(string output, IReadOnlyList<string> varyingColumns)
    {
        var lines = output.Split('\n');
        if (!lines.Any(line => line.StartsWith('+')))
        {
            return output;
        }
        var rows = lines.Where(line => line.StartsWith('|')).Select(Cells).ToList();
        var header = rows[0];
        var varying = header.Select((name, index) => (name, index)).Where(column => varyingColumns.Contains(column.name)).Select(column => column.index).ToHashSet();
        return string.Join('\n', rows.Select((cells, row) => string.Join(" | ",
            cells.Select((cell, index) => row > 0 && varying.Contains(index) ? $"<{header[index].ToLowerInvariant()}>" : cell)))) + "\n";
    }

    /// <summary>The cells of one table row, trimmed.</summary>
    public static IReadOnlyList<string> Cells(string row) =>
        row.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();

    private static string ErrorLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal)));

    [GeneratedRegex(@"took = \S+")]
    private static partial Regex Took();
}
