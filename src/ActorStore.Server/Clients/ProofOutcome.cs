namespace ActorStore.Server.Clients;

/// <summary>What a certificate proof comes to: the user it names, or why it is refused.</summary>
public sealed record ProofOutcome(string? User, string? Refusal)
{
    public static ProofOutcome Accepted(string user) => new(user, null);

    public static ProofOutcome Refused(string reason) => new(null, reason);
}
