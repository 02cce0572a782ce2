namespace ActorStore.Actors.Hocon;

/// <summary>
/// A value that must be merged over an earlier one, where one of the two is not known until substitutions
/// are resolved: objects merge field by field, anything else simply replaces what was below it.
/// </summary>
internal sealed class HoconDelayedMerge : HoconValue
{
    public HoconDelayedMerge(HoconValue overlay, HoconValue underlay)
        : base(overlay.Position)
    {
        Overlay = overlay;
        Underlay = underlay;
    }

    public HoconValue Overlay { get; }

    public HoconValue Underlay { get; }

    public override bool IsResolved => false;

    internal override string TypeName => "merge";
}
