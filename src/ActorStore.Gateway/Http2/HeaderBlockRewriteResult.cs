namespace ActorStore.Gateway.Http2;

/// <summary>What <see cref="HpackAuthorityRewriter.Rewrite"/> found in a header block.</summary>
public enum HeaderBlockRewriteResult
{
    /// <summary>No literal :authority in the block (it may still be referenced through the dynamic table).</summary>
    NoAuthority,

    /// <summary>Every literal :authority was left as it is; the block goes on unchanged.</summary>
    AuthorityUnchanged,

    /// <summary>At least one :authority value was repaired; the output holds the whole new block.</summary>
    AuthorityRepaired,

    /// <summary>The block is not valid HPACK; it goes on unchanged for the server to reject.</summary>
    Malformed,
}
