namespace ActorStore.Gateway.Tests.Http2;

/// <summary>How a raw HTTP/2 request ended: the response's header block and body, or the error code of a reset or GOAWAY.</summary>
public sealed record StreamOutcome(byte[]? ResponseBlock, string Body, int? ResetCode, int? GoAwayCode)
{
    /// <summary>The header block of the HEADERS frame that ended the stream: the trailers (or the only headers).</summary>
    public byte[]? EndBlock { get; init; }

    /// <summary>HPACK static index 8 is ":status: 200"; Kestrel sends it as the indexed field 0x88.</summary>
    public bool IsOk => ResponseBlock is { Length: > 0 } block && block[0] == 0x88;
}
