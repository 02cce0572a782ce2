namespace ActorStore.Gateway.Http2;

/// <summary>Where <see cref="Http2FrameFilter.Filter"/> stopped.</summary>
public enum Http2FilterStatus
{
    /// <summary>
    /// Everything up to the consumed length was handled; the rest is the start of a frame (or of the preface) and must
    /// be offered again once more bytes have arrived.
    /// </summary>
    NeedMoreInput,

    /// <summary>
    /// All input was handled and the rest of the connection needs no filtering: the preface did not match, the first
    /// header block needed no repair, or the input is malformed and goes on unchanged.
    /// </summary>
    PassThrough,

    /// <summary>
    /// Only without an output: a header block that must change starts at the consumed length. Call again with an
    /// output from there.
    /// </summary>
    RewriteRequired,
}
