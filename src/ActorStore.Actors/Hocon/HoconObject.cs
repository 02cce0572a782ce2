namespace ActorStore.Actors.Hocon;

/// <summary>An object whose fields keep the order in which the document first wrote them.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly Dictionary<string, HoconValue> _byKey;

    public HoconObject(IEnumerable<KeyValuePair<string, HoconValue>> fields, HoconPosition position = default)
        : base(position)
    {
        var ordered = new List<KeyValuePair<string, HoconValue>>();
        _byKey = new Dictionary<string, HoconValue>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (_byKey.TryAdd(field.Key, field.Value))
            {
                ordered.Add(field);
            }
            else
            {
                // A later duplicate replaces the value but keeps the first position in the order.
                _byKey[field.Key] = field.Value;
                var index = ordered.FindIndex(pair => pair.Key == field.Key);
                ordered[index] = field;
            }
        }

        Fields = ordered;
        IsResolved = ordered.All(static pair => pair.Value.IsResolved);
    }

    public static HoconObject Empty { get; } = new([]);

    public IReadOnlyList<KeyValuePair<string, HoconValue>> Fields { get; }

    public IEnumerable<string> Keys => Fields.Select(static pair => pair.Key);

    public override bool IsResolved { get; }

    internal override string TypeName => "object";

    public bool TryGetField(string key, out HoconValue value) => _byKey.TryGetValue(key, out value!);
}
