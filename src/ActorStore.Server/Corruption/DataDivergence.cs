using Etcdserverpb;
using Google.Protobuf;

namespace ActorStore.Server.Corruption;

/// <summary>
/// A testing seam, off unless the member's HOCON sets <c>actorstore.testing.diverge-put-key</c>: this member then
/// applies every put of that key with one byte more in the value than the log says, so its keyspace (and HashKV)
/// really differs from its peers', as a member whose data was corrupted would. Corruption-check tests use it.
/// </summary>
public sealed class DataDivergence
{
    public const string SettingPath = "actorstore.testing.diverge-put-key";

    private readonly ByteString _key;

    private DataDivergence(ByteString key) => _key = key;

    public static DataDivergence? From(MemberOptions options) =>
        options.Hocon?.GetString(SettingPath, null) is { Length: > 0 } key ? new DataDivergence(ByteString.CopyFromUtf8(key)) : null;

    public InternalRaftRequest Apply(InternalRaftRequest request)
    {
        if (request.Put is not { } put || put.Key != _key)
        {
            return request;
        }
        var diverged = request.Clone();
        diverged.Put.Value = ByteString.CopyFrom([.. put.Value.ToByteArray(), (byte)'!']);
        return diverged;
    }
}
