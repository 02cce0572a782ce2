using System.Buffers;

namespace ActorStore.Actors.Remoting;

/// <summary>
/// The bytes of one write: frames are encoded back to back into a pooled array, then written with one call.
/// A buffer that grew for an unusually large message is given back after the write instead of being kept.
/// </summary>
internal sealed class OutboundBatch : IDisposable
{
    public const int InitialCapacity = 64 * 1024;
    private const int RetainedCapacity = 1024 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);

    public int Length { get; private set; }

    /// <summary>Messages encoded since the last <see cref="Reset"/>.</summary>
    public int MessageCount { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    /// <summary>Returns exactly <paramref name="size"/> writable bytes at the end and counts them as written.</summary>
    public Span<byte> Append(int size)
    {
        if (_buffer.Length - Length < size)
        {
            Grow(size);
        }
        var span = _buffer.AsSpan(Length, size);
        Length += size;
        return span;
    }

    /// <summary>Counts one complete message (its frame was appended).</summary>
    public void CompleteMessage() => MessageCount++;

    /// <summary>Forgets bytes appended after <paramref name="length"/> (a message whose encoding failed).</summary>
    public void Truncate(int length) => Length = Math.Min(Length, length);

    public void Reset()
    {
        Length = 0;
        MessageCount = 0;
        if (_buffer.Length > RetainedCapacity)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Grow(int extra)
    {
        var needed = (long)Length + extra;
        var capacity = (int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength);
        var larger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
