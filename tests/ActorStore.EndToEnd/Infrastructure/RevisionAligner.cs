using ActorStore.Client.Grpc;
using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// Brings the two servers of a pair to the same revision by putting a padding key on the one behind, so a
/// differential test sees equal revisions even after tests that wrote to one side only or failed half-way.
/// </summary>
public static class RevisionAligner
{
    private const string PaddingKey = "zz-revision-padding";

    public static async Task AlignAsync(PairFixture pair)
    {
        using var etcd = new GrpcConnection(new Uri(pair.Etcd.ClientUrl));
        using var ours = new GrpcConnection(new Uri(pair.ActorStore.ClientUrl));
        var etcdRevision = await RevisionAsync(etcd);
        var ourRevision = await RevisionAsync(ours);
        var (behind, gap) = etcdRevision < ourRevision ? (etcd, ourRevision - etcdRevision) : (ours, etcdRevision - ourRevision);
        for (var i = 0; i < gap; i++)
        {
            await behind.UnaryAsync(
                "/etcdserverpb.KV/Put",
                new PutRequest { Key = ByteString.CopyFromUtf8(PaddingKey), Value = ByteString.CopyFromUtf8(i.ToString()) },
                PutResponse.Parser,
                Options());
        }
    }

    private static async Task<long> RevisionAsync(GrpcConnection connection) =>
        (await connection.UnaryAsync(
            "/etcdserverpb.KV/Range",
            new RangeRequest { Key = ByteString.CopyFromUtf8(PaddingKey) },
            RangeResponse.Parser,
            Options())).Header.Revision;

    private static CallOptions Options() => new() { Deadline = DateTime.UtcNow.AddSeconds(10) };
}
