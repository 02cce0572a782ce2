using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// A peer whose certificate the cluster must not accept tries to take part, both ways at once: the cluster is told
/// of it (`etcdctl member add` of its https peer URL), so the members dial it and meet its certificate, and it is
/// started as a member of the same kind with the cluster's flags and --initial-cluster naming it, so it dials them.
/// Under a continuous write load the members must turn it away at the TLS layer in both directions and go on serving
/// without a stall; none of them may exit. The cluster is left with its three members.
/// </summary>
public static class IntruderScenario
{
    private const string Name = "m4";
    private static readonly TimeSpan AllowedSilence = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WritingWhileRefused = TimeSpan.FromSeconds(3);

    /// <param name="inboundError">What every member logs when the intruder dials it.</param>
    /// <param name="inboundDnsNames">The intruder's names the members log with it, when they get as far as reading them.</param>
    public static async Task RunAsync(
        ClusterNodes cluster, PeerPki pki, string inboundError, IReadOnlyList<string>? inboundDnsNames, string keyPrefix,
        ITestOutputHelper output)
    {
        using var dir = new TempDir();
        var placement = new LoopbackPlacements().Place(Name);
        var intruderUrl = $"https://{placement.Host}:{placement.PeerPort}";
        var seenBefore = cluster.Members.ToDictionary(member => member.Name, member => RejectedConnection.In(member.Process.Output).Count);

        await using var writer = new FailoverWriter(cluster.Endpoints, keyPrefix);
        writer.Start();
        await writer.WaitForAcknowledgementsAsync(TimeSpan.Zero, 20, TimeSpan.FromSeconds(30));

        var initialCluster = string.Join(',', cluster.Members.Select(member => $"{member.Name}={member.PeerUrl}").Append($"{Name}={intruderUrl}"));
        var intruder = new ClusterMember(
            cluster.Kind, Name, Path.Combine(dir.Path, Name + ".etcd"), placement, initialCluster, cluster.Token, "new",
            pki.ArgsFor(pki.Intruder), "https");
        var added = false;
        var passed = false;
        try
        {
            var add = await ClusterNodes.ReconfigureAsync(cluster.Etcdctl, "member", "add", Name, "--peer-urls=" + intruderUrl);
            Assert.True(add.ExitCode == 0, $"member add {intruderUrl}: {add}");
            added = true;
            output.WriteLine($"{cluster.Kind}: member add {intruderUrl} answered at {writer.Now.TotalSeconds:F1} s");
            intruder.Launch();

            // Intruder -> members: each member turns its dial away, naming the cause.
            var inbound = await Eventually.GetAsync(
                () => Task.FromResult(cluster.Members.All(member => NewRejections(member, seenBefore).Any(r => r.Error == inboundError))
                    ? cluster.Members.ToDictionary(member => member.Name, member => NewRejections(member, seenBefore))
                    : null),
                TimeSpan.FromSeconds(10),
                () => $"every member logging \"{RejectedConnection.Message}\" with error \"{inboundError}\"; they logged:\n" +
                    string.Join('\n', cluster.Members.Select(member => $"{member.Name}: {string.Join("; ", NewRejections(member, seenBefore).Take(3))}")) +
                    "\n" + cluster.Logs() + "\n" + intruder.OutputTail());
            foreach (var (name, rejections) in inbound)
            {
                output.WriteLine($"{cluster.Kind} {name}: {rejections.Count} rejected, e.g. {rejections.First(r => r.Error == inboundError)}");
                Assert.All(rejections, r => Assert.StartsWith("127.0.0.1:", r.RemoteAddr));
                if (inboundDnsNames is not null)
                {
                    Assert.All(rejections.Where(r => r.Error == inboundError), r => Assert.Equal(inboundDnsNames, r.DnsNames));
                }
            }

            // Members -> intruder: they abort the handshake on the certificate it presents. etcd's members say nothing
            // of it and the intruder logs its dialers' alert; an ActorStore member logs its own refusal of the address it
            // dialed (.NET's TLS server does not always report a client that hangs up mid-handshake).
            var intruderAddress = $"{placement.Host}:{placement.PeerPort}";
            var outbound = await Eventually.GetAsync(
                () => Task.FromResult(
                    RejectedConnection.In(intruder.Process.Output).FirstOrDefault(r => r.Error.StartsWith(PeerTlsErrors.RemoteAlert, StringComparison.Ordinal))
                    ?? (cluster.Kind == MemberKind.ActorStore
                        ? cluster.Members.SelectMany(member => NewRejections(member, seenBefore)).FirstOrDefault(r => r.RemoteAddr == intruderAddress)
                        : null)),
                TimeSpan.FromSeconds(10),
                () => $"the members refusing to dial the intruder at {intruderAddress}: the intruder logging \"{RejectedConnection.Message}\" with an error starting \"{PeerTlsErrors.RemoteAlert}\" (its dialers refused its certificate), or (ActorStore) a member logging its refusal of {intruderAddress}\n{intruder.OutputTail()}\n{cluster.Logs()}");
            output.WriteLine($"{cluster.Kind} intruder: {outbound} (both directions refused at {writer.Now.TotalSeconds:F1} s)");

            var refusedSince = writer.Now;
            await Task.Delay(WritingWhileRefused);
            await writer.WaitForAcknowledgementsAsync(refusedSince, 20, TimeSpan.FromSeconds(10));
            await writer.StopAsync();
            var silence = writer.LongestSilence();
            output.WriteLine($"{cluster.Kind}: {writer.Acknowledged.Count} writes acknowledged while the intruder was refused, longest silence {silence.TotalMilliseconds:F0} ms, {writer.Failures} failed calls");
            Assert.True(silence < AllowedSilence, $"writes stalled for {silence}\n{cluster.Logs()}");

            Assert.All(cluster.Members, member => Assert.True(member.IsRunning, member.OutputTail()));
            var listed = Assert.Single(await cluster.MemberListAsync(), info => info.PeerUrls.Contains(intruderUrl));
            // It never got to publish its name through the cluster.
            Assert.Equal("", listed.Name);
            foreach (var member in cluster.Members)
            {
                CommandResult.AssertOk(await member.Etcdctl.RunAsync("put", keyPrefix + "after/" + member.Name, "ok"));
            }
            passed = true;
        }
        finally
        {
            await intruder.DisposeAsync();
            if (added)
            {
                try
                {
                    await RemoveAsync(cluster, intruderUrl);
                    output.WriteLine($"{cluster.Kind}: {Name} removed again at {writer.Now.TotalSeconds:F1} s");
                }
                catch (Exception e) when (!passed)
                {
                    // The test already failed; its own failure is the one to report.
                    output.WriteLine($"{cluster.Kind}: could not remove {Name} again: {e.Message}");
                }
            }
        }
    }

    private static IReadOnlyList<RejectedConnection> NewRejections(ClusterMember member, IReadOnlyDictionary<string, int> seenBefore) =>
        RejectedConnection.In(member.Process.Output).Skip(seenBefore[member.Name]).ToArray();

    private static async Task RemoveAsync(ClusterNodes cluster, string intruderUrl)
    {
        var listed = (await cluster.MemberListAsync()).Single(info => info.PeerUrls.Contains(intruderUrl));
        CommandResult.AssertOk(await ClusterNodes.ReconfigureAsync(cluster.Etcdctl, "member", "remove", listed.HexId));
        Assert.Equal(3, (await cluster.MemberListAsync()).Count);
    }
}
