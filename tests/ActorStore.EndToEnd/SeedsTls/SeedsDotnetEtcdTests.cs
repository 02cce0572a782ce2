extern alias DotnetEtcd;

using System.Security.Cryptography.X509Certificates;
using ActorStore.EndToEnd.Cluster;
using ActorStore.EndToEnd.Infrastructure;
using DotnetEtcd::dotnet_etcd;
using DotnetEtcd::Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Xunit;
using Xunit.Abstractions;
using KeyValue = DotnetEtcd::Mvccpb.KeyValue;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// dotnet-etcd, the client .NET users of etcd already have, over mutual TLS with the seeds' certificates (the CA and
/// the root client certificate from `actorstore certs`) against all three members: put, get, delete and a watch give
/// the same answers from ActorStore as from real etcd 3.4.23. Revisions are told relative to where the run began.
/// </summary>
[Collection(SeedsTlsCollection.Name)]
public sealed class SeedsDotnetEtcdTests(SeedsTlsClusters clusters, ITestOutputHelper output)
{
    private const string Prefix = "seeds/dotnet/";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Put_get_delete_and_watch_answer_as_etcd()
    {
        var etcd = await ScenarioAsync(clusters.Etcd);
        var ours = await ScenarioAsync(clusters.ActorStore);
        Assert.Equal(etcd, ours);
        Assert.Contains("watch: PUT seeds/dotnet/a=1 create=+1 mod=+1 version=1", ours);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_as_by_etcd()
    {
        // The member ends the TLS handshake; what the client calls that (Unavailable, DeadlineExceeded, Internal)
        // depends on when its request was already on the way, against etcd as against ActorStore: only the refusal counts.
        var etcd = await WithoutCertificateAsync(clusters.Etcd);
        var ours = await WithoutCertificateAsync(clusters.ActorStore);
        output.WriteLine($"etcd: {etcd}\nactorstore: {ours}");
        Assert.True(etcd is { StatusCode: not StatusCode.OK }, $"etcd answered a client without a certificate: {etcd}");
        Assert.True(ours is { StatusCode: not StatusCode.OK }, $"ActorStore answered a client without a certificate: {ours}");
        // The refusal is the certificate's doing: the same client with one is served.
        Assert.Contains("watch: DELETE", await ScenarioAsync(clusters.ActorStore));
    }

    private static async Task<string> ScenarioAsync(SeedsTlsCluster cluster)
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(cluster.Pki.CaFile);
        using var certificate = X509Certificate2.CreateFromPemFile(cluster.Pki.ClientCertFile, cluster.Pki.ClientKeyFile);
        using var client = Client(cluster, ca, certificate);
        var transcript = new List<string>();
        var start = (await client.GetAsync(Prefix, deadline: Deadline())).Header.Revision;
        string Revision(long revision) => revision == 0 ? "0" : $"+{revision - start}";
        string Kv(KeyValue kv) =>
            $"{kv.Key.ToStringUtf8()}={kv.Value.ToStringUtf8()} create={Revision(kv.CreateRevision)} mod={Revision(kv.ModRevision)} version={kv.Version}";

        // From the next revision, so what it sees cannot depend on when its stream got going.
        var events = new List<string>();
        using var stopWatching = new CancellationTokenSource();
        var watchRequest = new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = ByteString.CopyFromUtf8(Prefix),
                RangeEnd = ByteString.CopyFromUtf8(EtcdClient.GetRangeEnd(Prefix)),
                StartRevision = start + 1,
            },
        };
        var watching = client.WatchAsync(watchRequest, (WatchResponse response) =>
        {
            lock (events)
            {
                events.AddRange(response.Events.Select(e => $"watch: {e.Type.ToString().ToUpperInvariant()} {Kv(e.Kv)}"));
            }
        }, cancellationToken: stopWatching.Token);

        var put = await client.PutAsync(Prefix + "a", "1", deadline: Deadline());
        transcript.Add($"put a: revision {Revision(put.Header.Revision)}, prev {put.PrevKv is not null}");
        put = await client.PutAsync(Prefix + "b", "2", deadline: Deadline());
        transcript.Add($"put b: revision {Revision(put.Header.Revision)}");
        put = await client.PutAsync(
            new PutRequest { Key = ByteString.CopyFromUtf8(Prefix + "a"), Value = ByteString.CopyFromUtf8("3"), PrevKv = true },
            deadline: Deadline());
        transcript.Add($"put a again: revision {Revision(put.Header.Revision)}, prev {Kv(put.PrevKv)}");

        var get = await client.GetAsync(Prefix + "a", deadline: Deadline());
        transcript.Add($"get a: count {get.Count}, more {get.More}: " + string.Join("; ", get.Kvs.Select(Kv)));
        transcript.Add($"get value of b: {await client.GetValAsync(Prefix + "b", deadline: Deadline())}");
        var range = await client.GetRangeAsync(Prefix, deadline: Deadline());
        transcript.Add($"get range: count {range.Count}: " + string.Join("; ", range.Kvs.Select(Kv)));
        var missing = await client.GetAsync(Prefix + "missing", deadline: Deadline());
        transcript.Add($"get missing: count {missing.Count}, revision {Revision(missing.Header.Revision)}");

        var deleted = await client.DeleteAsync(Prefix + "b", deadline: Deadline());
        transcript.Add($"delete b: deleted {deleted.Deleted}, revision {Revision(deleted.Header.Revision)}");
        deleted = await client.DeleteRangeAsync(Prefix, deadline: Deadline());
        transcript.Add($"delete range: deleted {deleted.Deleted}, revision {Revision(deleted.Header.Revision)}");
        transcript.Add($"get range after: count {(await client.GetRangeAsync(Prefix, deadline: Deadline())).Count}");

        // put a, put b, put a, delete b, delete a.
        var seen = await Eventually.GetAsync(
            () => Task.FromResult(Snapshot(events) is { Count: >= 5 } all ? all : null),
            Wait,
            () => $"{cluster.Kind}: five watch events; got\n" + string.Join('\n', Snapshot(events)));
        await stopWatching.CancelAsync();
        await StoppedAsync(watching);
        transcript.AddRange(seen);
        return string.Join('\n', transcript);
    }

    /// <summary>The status of a get from a client that trusts the CA but shows no certificate; null if it was answered.</summary>
    private static async Task<Status?> WithoutCertificateAsync(SeedsTlsCluster cluster)
    {
        using var ca = X509CertificateLoader.LoadCertificateFromFile(cluster.Pki.CaFile);
        using var client = Client(cluster, ca, certificate: null);
        try
        {
            await client.GetAsync(Prefix, deadline: DateTime.UtcNow.AddSeconds(3));
            return null;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }

    /// <summary>
    /// dotnet-etcd's TLS constructor: the members' https:// URLs, members checked against the seeds' CA only, and the
    /// client certificate shown when the member asks for one.
    /// </summary>
    private static EtcdClient Client(SeedsTlsCluster cluster, X509Certificate2 ca, X509Certificate2? certificate) =>
        new(string.Join(',', cluster.SecureUrls), ssl =>
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            };
            if (certificate is not null)
            {
                ssl.ClientCertificates = new X509CertificateCollection { certificate };
            }
        });

    private static List<string> Snapshot(List<string> events)
    {
        lock (events)
        {
            return [.. events];
        }
    }

    private static async Task StoppedAsync(Task watching)
    {
        try
        {
            await watching.WaitAsync(Wait);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
        }
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(Wait);
}
