namespace ActorStore.Client.Wire;

/// <summary>What a certificate proof signs: a fixed prefix, then the member's nonce (see clientpb.CertificateProof).</summary>
public static class SessionProof
{
    private static ReadOnlySpan<byte> Prefix => "actorstore-client-session\n"u8;

    /// <summary>The signed bytes for <paramref name="nonce"/>.</summary>
    public static byte[] SignedBytes(ReadOnlySpan<byte> nonce)
    {
        var bytes = new byte[Prefix.Length + nonce.Length];
        Prefix.CopyTo(bytes);
        nonce.CopyTo(bytes.AsSpan(Prefix.Length));
        return bytes;
    }

    /// <summary>The name of every member's client entry actor (/user/clients).</summary>
    public const string EntryActorName = "clients";
}
