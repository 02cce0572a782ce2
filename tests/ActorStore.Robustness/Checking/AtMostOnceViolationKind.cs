namespace ActorStore.Robustness.Checking;

public enum AtMostOnceViolationKind
{
    /// <summary>One request's value was newly written at more than one revision.</summary>
    AppliedMoreThanOnce,

    /// <summary>An acknowledged write is not in the store at the revision its response named.</summary>
    AcknowledgedWriteMissing,

    /// <summary>A value was newly written that no operation sent.</summary>
    WrittenByNoOperation,
}
