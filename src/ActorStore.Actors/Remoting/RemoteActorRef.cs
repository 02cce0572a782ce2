using System.Text;
using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// A ref to an actor of another system: Tell queues the message on the association to that system's address.
/// Its <see cref="Path"/> is <c>actorstore://{local system name}@host:port/user/...</c> (members of one cluster share
/// the system name). Equal when address and path are equal. Remote death watch is not supported: watching such a
/// ref never yields <see cref="Terminated"/>.
/// </summary>
internal sealed class RemoteActorRef : InternalActorRef, IEquatable<RemoteActorRef>
{
    private readonly Association _association;
    private ActorPath? _path;

    public RemoteActorRef(Association association, string relativePath)
    {
        _association = association;
        RelativePath = relativePath;
        RelativePathUtf8 = Encoding.UTF8.GetBytes(relativePath);
    }

    /// <summary>host:port of the remote system.</summary>
    public string Address => _association.Address;

    /// <summary>"/user/..." inside the remote system.</summary>
    public string RelativePath { get; }

    public byte[] RelativePathUtf8 { get; }

    // Built lazily: refs made for reply targets of inbound messages rarely need it.
    public override ActorPath Path => _path ??= BuildPath();

    public override ActorSystem System => _association.Transport.System;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is not IMessage protobuf || !_association.Transport.Serializers.TryGetByType(message.GetType(), out var serializer))
        {
            throw new NotSupportedException(
                $"{message.GetType().FullName} cannot be sent to the remote actor {Path}: only protobuf messages registered in the " +
                $"{nameof(MessageSerializerRegistry)} cross the wire (register it with a manifest on both systems).");
        }
        _association.Enqueue(new OutboundMessage(this, protobuf, serializer, sender));
    }

    // No remote death watch yet: accept the watcher and never notify it.
    public override bool AddWatcher(ActorCell watcher) => true;

    public override void RemoveWatcher(ActorCell watcher)
    {
    }

    public bool Equals(RemoteActorRef? other) =>
        other is not null
        && ReferenceEquals(_association.Transport, other._association.Transport)
        && string.Equals(Address, other.Address, StringComparison.Ordinal)
        && string.Equals(RelativePath, other.RelativePath, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is RemoteActorRef other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Address), StringComparer.Ordinal.GetHashCode(RelativePath));

    private ActorPath BuildPath()
    {
        var path = ActorPath.CreateRoot(System.Name, Address);
        foreach (var element in ActorPathText.Elements(RelativePath))
        {
            path = path.Child(element);
        }
        return path;
    }
}
