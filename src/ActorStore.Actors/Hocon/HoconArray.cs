namespace ActorStore.Actors.Hocon;

public sealed class HoconArray : HoconValue
{
    public HoconArray(IReadOnlyList<HoconValue> items, HoconPosition position = default)
        : base(position)
    {
        Items = items;
        IsResolved = items.All(static item => item.IsResolved);
    }

    public IReadOnlyList<HoconValue> Items { get; }

    public override bool IsResolved { get; }

    internal override string TypeName => "list";
}
