namespace ActorStore.Robustness.Checking;

public enum LinearizabilityVerdict
{
    Linearizable,
    NotLinearizable,

    /// <summary>The budget ran out before the search found an order or ruled every order out.</summary>
    Inconclusive,
}
