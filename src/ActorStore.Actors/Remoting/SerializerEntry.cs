using System.Text;
using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>One registered message type; the manifest's UTF-8 bytes are kept so encoding does not redo them.</summary>
internal sealed class SerializerEntry(Type messageType, string manifest, MessageParser parser)
{
    public Type MessageType { get; } = messageType;

    public string Manifest { get; } = manifest;

    public byte[] ManifestUtf8 { get; } = Encoding.UTF8.GetBytes(manifest);

    public MessageParser Parser { get; } = parser;

    public uint SerializerId => MessageSerializerRegistry.ProtobufSerializerId;
}
