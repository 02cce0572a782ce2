namespace ActorStore.Persistence.Tests.Plugins;

using Akka.Actor;
using Akka.Serialization;

/// <summary>Refuses to serialize anything, as a serializer does for a value it cannot represent.</summary>
public sealed class FailingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 9901;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new InvalidOperationException($"{obj.GetType().Name} cannot be serialized (by design of the test)");

    public override object FromBinary(byte[] bytes, Type? type) =>
        throw new InvalidOperationException("nothing was ever serialized by this serializer");
}
