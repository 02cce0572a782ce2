using Clientpb;

namespace ActorStore.Client.Wire;

/// <summary>Joins the parts of large responses (<see cref="ResponseParts"/>) by request id, in the order they came.</summary>
internal sealed class ResponseAssembly
{
    private readonly Dictionary<ulong, MemoryStream> _partial = [];

    /// <summary>The whole response once <paramref name="part"/> was its last one; null while parts are missing.</summary>
    public ClientResponse? Add(ClientResponsePart part)
    {
        if (!_partial.TryGetValue(part.Id, out var buffer))
        {
            buffer = new MemoryStream();
            _partial[part.Id] = buffer;
        }
        part.Data.WriteTo(buffer);
        if (!part.Last)
        {
            return null;
        }
        _partial.Remove(part.Id);
        buffer.Position = 0;
        return ClientResponse.Parser.ParseFrom(buffer);
    }

    /// <summary>Forgets the parts of a session that ended: its answers will not be completed.</summary>
    public void Clear() => _partial.Clear();
}
