namespace ActorStore.Robustness.Checking;

/// <summary>A write applied more often or elsewhere than its request allows, with the value, the revisions and the evidence.</summary>
public sealed record AtMostOnceViolation(AtMostOnceViolationKind Kind, string Value, IReadOnlyList<long> Revisions, string Detail)
{
    public override string ToString() => Detail;
}
