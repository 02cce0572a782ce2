using Etcdserverpb;
using Google.Protobuf;
using Grpc.Net.Client;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Brings the two servers of a pair to the same revision by putting a padding key on the one behind, so a
/// differential test sees equal revisions even after tests that wrote to one side only or failed half-way.
/// </summary>
public static class RevisionAligner
{
    private const string PaddingKey = "zz-revision-padding";

    public static Task AlignAsync(PairFixture pair) => AlignAsync(pair.Etcd.ClientUrl, pair.ActorStore.ClientUrl);

    /// <summary>The same for any two servers, each reached on a plain http:// client URL.</summary>
    public static async Task AlignAsync(string etcdUrl, string actorStoreUrl)
    {
        using var etcdChannel = GrpcChannel.ForAddress(etcdUrl);
        using var ourChannel = GrpcChannel.ForAddress(actorStoreUrl);
        var etcd = new KV.KVClient(etcdChannel);
        var ours = new KV.KVClient(ourChannel);
        var etcdRevision = await RevisionAsync(etcd);
        var ourRevision = await RevisionAsync(ours);
        var (behind, gap) = etcdRevision < ourRevision ? (etcd, ourRevision - etcdRevision) : (ours, etcdRevision - ourRevision);
        for (var i = 0; i < gap; i++)
        {
            await behind.PutAsync(
                new PutRequest { Key = ByteString.CopyFromUtf8(PaddingKey), Value = ByteString.CopyFromUtf8(i.ToString()) },
                deadline: Deadline());
        }
    }

    private static async Task<long> RevisionAsync(KV.KVClient kv) =>
        (await kv.RangeAsync(new RangeRequest { Key = ByteString.CopyFromUtf8(PaddingKey) }, deadline: Deadline())).Header.Revision;

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(10);
}
