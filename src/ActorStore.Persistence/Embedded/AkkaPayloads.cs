namespace ActorStore.Persistence.Embedded;

using Akka.Actor;
using Akka.Serialization;

/// <summary>Turns payloads into Akka's serialization triple (serializer id, manifest, bytes) and back.</summary>
internal sealed class AkkaPayloads(ExtendedActorSystem system)
{
    private readonly Serialization _serialization = system.Serialization;

    public (int SerializerId, string Manifest, byte[] Bytes) Serialize(object payload)
    {
        var serializer = _serialization.FindSerializerFor(payload);
        var manifest = Serialization.ManifestFor(serializer, payload);

        // With the transport information set, actor refs inside payloads serialize with their full address.
        var bytes = Serialization.WithTransport(system, (serializer, payload), static state => state.serializer.ToBinary(state.payload));
        return (serializer.Identifier, manifest, bytes);
    }

    public object Deserialize(byte[] bytes, int serializerId, string manifest) =>
        _serialization.Deserialize(bytes, serializerId, manifest);
}
