namespace ActorStore.Actors.Hocon;

/// <summary>
/// Values written next to each other on one line (<c>a = ${base} "/bin"</c>, <c>[1] [2]</c>, <c>${defaults} { x = 1 }</c>);
/// joined once substitutions are known. Each part remembers the whitespace written before it, which string
/// concatenation keeps.
/// </summary>
internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(IReadOnlyList<HoconConcatenationPart> parts, HoconPosition position)
        : base(position)
    {
        Parts = parts;
    }

    public IReadOnlyList<HoconConcatenationPart> Parts { get; }

    public override bool IsResolved => false;

    internal override string TypeName => "concatenation";
}
