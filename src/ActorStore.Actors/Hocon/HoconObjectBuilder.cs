namespace ActorStore.Actors.Hocon;

/// <summary>
/// The parser's mutable object: later fields for the same key are merged into it while the document is read,
/// so a self reference such as <c>a.b = ${a.b} "x"</c> can see the earlier value. Frozen into a
/// <see cref="HoconObject"/> when parsing ends.
/// </summary>
internal sealed class HoconObjectBuilder : HoconValue
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);

    public HoconObjectBuilder(HoconPosition position)
        : base(position)
    {
    }

    public override bool IsResolved => false;

    internal override string TypeName => "object";

    public IEnumerable<string> Keys => _order;

    public bool TryGet(string key, out HoconValue value) => _fields.TryGetValue(key, out value!);

    public void Set(string key, HoconValue value)
    {
        if (!_fields.ContainsKey(key))
        {
            _order.Add(key);
        }

        _fields[key] = value;
    }

    public HoconObject Freeze() =>
        new(_order.Select(key => new KeyValuePair<string, HoconValue>(key, FreezeValue(_fields[key]))), Position);

    public static HoconValue FreezeValue(HoconValue value) => value switch
    {
        HoconObjectBuilder builder => builder.Freeze(),
        HoconArray array when array.Items.Any(static item => item is HoconObjectBuilder or HoconConcatenation or HoconDelayedMerge or HoconArray) =>
            new HoconArray(array.Items.Select(FreezeValue).ToList(), array.Position),
        HoconConcatenation concatenation => new HoconConcatenation(
            concatenation.Parts.Select(part => part with { Value = FreezeValue(part.Value) }).ToList(),
            concatenation.Position),
        HoconDelayedMerge merge => new HoconDelayedMerge(FreezeValue(merge.Overlay), FreezeValue(merge.Underlay)),
        _ => value,
    };
}
