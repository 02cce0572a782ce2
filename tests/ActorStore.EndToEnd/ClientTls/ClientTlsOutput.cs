using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;

namespace ActorStore.EndToEnd.ClientTls;

/// <summary>etcdctl's answers from the two members, compared as <see cref="Differential"/> compares them, with each member's endpoint and timings set aside.</summary>
public static partial class ClientTlsOutput
{
    /// <summary>Runs the same etcdctl command against etcd, then ActorStore, and asserts the same stdout, "Error" lines and exit code.</summary>
    public static async Task<CommandResult> SameAsync(MutualTlsPair pair, IReadOnlyList<string> tlsArgs, params string[] args)
    {
        var expected = await pair.Etcd.EtcdctlAsync(tlsArgs, args);
        var actual = await pair.ActorStore.EtcdctlAsync(tlsArgs, args);
        var what = "etcdctl " + string.Join(' ', args);
        Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit code\netcd: {expected}\nactorstore: {actual}\n{pair.ActorStore.Tail()}");
        Assert.Equal(Normalize(expected.StdOut, pair.Etcd), Normalize(actual.StdOut, pair.ActorStore));
        Assert.Equal(ErrorLines(expected.StdErr, pair.Etcd), ErrorLines(actual.StdErr, pair.ActorStore));
        return actual;
    }

    private static string Normalize(string output, ClientTlsNode node) =>
        Took().Replace(Differential.Normalize(output).Replace(node.SecureUrl, "<endpoint>", StringComparison.Ordinal), "took = <duration>");

    private static string ErrorLines(string stderr, ClientTlsNode node) =>
        string.Join('\n', stderr.Split('\n').Where(line => line.StartsWith("Error", StringComparison.Ordinal)).Select(line => Normalize(line, node)));

    [GeneratedRegex(@"took = \S+")]
    private static partial Regex Took();
}
