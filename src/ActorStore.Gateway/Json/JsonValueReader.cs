using System.Buffers;
using System.Text;

namespace ActorStore.Gateway.Json;

/// <summary>
/// Reads a request body as a sequence of JSON objects, as Go's json.Decoder reads grpc-gateway's streamed requests:
/// objects may follow each other with or without whitespace, and each is handed over as soon as it is complete.
/// </summary>
internal sealed class JsonValueReader(Stream body) : IDisposable
{
    private const int ChunkSize = 16 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _start;
    private int _end;

    // Scanner state of the object being read, kept across reads so that a large value is scanned once.
    private int _scanned;
    private int _depth;
    private bool _inString;
    private bool _escaped;
    private bool _eof;

    /// <summary>
    /// The next JSON object's text, or null when only whitespace is left. Throws <see cref="GatewayJsonException"/>
    /// for a value that is not an object or a body that ends inside one ("unexpected EOF", as Go says).
    /// </summary>
    public async ValueTask<string?> ReadNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeValue(out var value))
            {
                return value;
            }
            if (_eof)
            {
                return _start == _end ? null : throw new GatewayJsonException("unexpected EOF");
            }
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private bool TryTakeValue(out string? value)
    {
        value = null;
        if (_depth == 0)
        {
            // Between values: skip whitespace, then the next value must open an object.
            while (_start < _end && IsWhitespace(_buffer[_start]))
            {
                _start++;
            }
            if (_start == _end)
            {
                return false;
            }
            if (_buffer[_start] != (byte)'{')
            {
                throw new GatewayJsonException($"invalid character '{(char)_buffer[_start]}' looking for beginning of object");
            }
            _scanned = _start;
        }

        for (; _scanned < _end; _scanned++)
        {
            var b = _buffer[_scanned];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    _escaped = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    if (_depth == 0)
                    {
                        value = Encoding.UTF8.GetString(_buffer, _start, _scanned + 1 - _start);
                        _start = _scanned + 1;
                        return true;
                    }
                    break;
            }
        }
        return false;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            // Keep the unfinished value at the front.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _scanned -= _start;
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < ChunkSize / 2)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        var read = await body.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';
}
