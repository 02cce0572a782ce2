using System.Text.RegularExpressions;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.Lease;

/// <summary>Lease commands the lease tests share: granting with the id read back, clearing leftovers.</summary>
public static partial class LeaseCommands
{
    /// <summary>Leases other tests left (lock and election sessions) would show up in `lease list`.</summary>
    public static async Task RevokeAllAsync(MemberNode node)
    {
        var list = await node.Etcdctl.RunAsync("lease", "list");
        foreach (var id in list.StdOut.Split('\n').Skip(1).Where(line => HexLeaseId().IsMatch(line)))
        {
            await node.Etcdctl.RunAsync("lease", "revoke", id);
        }
    }

    /// <summary>`lease grant`, recorded; returns the id in hex as etcdctl prints and takes it.</summary>
    public static async Task<string> GrantAsync(Transcript transcript, Etcdctl etcdctl, string ttl)
    {
        var result = await transcript.RunAsync(etcdctl, "lease", "grant", ttl);
        var match = GrantedLine().Match(result.StdOut);
        return match.Success ? match.Groups[1].Value : "0";
    }

    [GeneratedRegex("^lease ([0-9a-f]+) granted")]
    private static partial Regex GrantedLine();

    [GeneratedRegex("^[0-9a-f]{1,16}$")]
    private static partial Regex HexLeaseId();
}
