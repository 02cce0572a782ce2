using Akka.Actor;
using Clientpb;
using Google.Protobuf;

namespace ActorStore.Client.Wire;

/// <summary>
/// How a session answers: a response whose encoding fits in one part goes whole, a larger one (a Range of many keys)
/// as <see cref="ClientResponsePart"/> messages, so that no answer exceeds Akka.Remote's frame size (4 MiB on both
/// sides) and is dropped by the transport.
/// </summary>
public static class ResponseParts
{
    /// <summary>The largest response sent whole, and the size of each part of a larger one.</summary>
    public const int PartBytes = 1024 * 1024;

    public static void Send(ClientResponse response, IActorRef client, IActorRef session, int partBytes = PartBytes)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(client);
        if (response.CalculateSize() <= partBytes)
        {
            client.Tell(response, session);
            return;
        }
        var bytes = response.ToByteArray();
        for (var offset = 0; offset < bytes.Length; offset += partBytes)
        {
            var length = Math.Min(partBytes, bytes.Length - offset);
            client.Tell(new ClientResponsePart
            {
                Id = response.Id,
                Data = ByteString.CopyFrom(bytes, offset, length),
                Last = offset + length == bytes.Length,
            }, session);
        }
    }
}
