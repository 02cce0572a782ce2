namespace ActorStore.Server.Membership;

/// <summary>Whether the local member is a learner, as the apply actor last saw the member list.</summary>
internal sealed class LearnerFlag
{
    private volatile bool _value;

    public bool Value
    {
        get => _value;
        set => _value = value;
    }
}
