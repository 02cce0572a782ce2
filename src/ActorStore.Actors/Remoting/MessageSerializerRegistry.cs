using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// Which protobuf message types may cross the wire, and the manifest (a stable type key) that names each of them.
/// Both ends must register the same manifest for a type; a manifest the receiver does not know is logged and dropped.
/// Thread-safe; registering after the transport started is allowed.
/// </summary>
public sealed class MessageSerializerRegistry
{
    /// <summary>Serializer id written in envelopes for protobuf messages named by manifest.</summary>
    public const uint ProtobufSerializerId = 1;

    private readonly ConcurrentDictionary<Type, SerializerEntry> _byType = new();
    private readonly ConcurrentDictionary<string, SerializerEntry> _byManifest = new(StringComparer.Ordinal);
    private readonly Lock _registrationGate = new();

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/>. Registering the same pair twice is a no-op.</summary>
    /// <exception cref="ArgumentException">The manifest is empty, or the manifest or the type is already registered with another partner.</exception>
    public MessageSerializerRegistry Register<T>(string manifest, MessageParser<T> parser)
        where T : IMessage<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(manifest);
        ArgumentNullException.ThrowIfNull(parser);
        lock (_registrationGate)
        {
            if (_byManifest.TryGetValue(manifest, out var existing))
            {
                if (existing.MessageType == typeof(T))
                {
                    return this;
                }
                throw new ArgumentException($"Manifest '{manifest}' is already registered for {existing.MessageType.FullName}.", nameof(manifest));
            }
            if (_byType.TryGetValue(typeof(T), out var sameType))
            {
                throw new ArgumentException($"{typeof(T).FullName} is already registered under manifest '{sameType.Manifest}'.", nameof(manifest));
            }
            var entry = new SerializerEntry(typeof(T), manifest, parser);
            _byManifest[manifest] = entry;
            _byType[typeof(T)] = entry;
        }
        return this;
    }

    public bool IsRegistered(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        return _byType.ContainsKey(messageType);
    }

    public bool TryGetManifest(Type messageType, [NotNullWhen(true)] out string? manifest)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        manifest = _byType.TryGetValue(messageType, out var entry) ? entry.Manifest : null;
        return manifest is not null;
    }

    internal bool TryGetByType(Type messageType, [NotNullWhen(true)] out SerializerEntry? entry) => _byType.TryGetValue(messageType, out entry);

    internal bool TryGetByManifest(string manifest, [NotNullWhen(true)] out SerializerEntry? entry) => _byManifest.TryGetValue(manifest, out entry);
}
