namespace ActorStore.Actors.Hocon;

/// <summary>A <c>${path}</c> or <c>${?path}</c> reference, replaced by the value it names during resolution.</summary>
internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(IReadOnlyList<string> path, bool optional, HoconPosition position, bool configLookup = true)
        : base(position)
    {
        Path = path;
        Optional = optional;
        ConfigLookup = configLookup;
    }

    public IReadOnlyList<string> Path { get; }

    public bool Optional { get; }

    /// <summary>
    /// False for a self reference that had no earlier value: only the environment may still answer it,
    /// because looking the path up in the document would find the field that contains it.
    /// </summary>
    public bool ConfigLookup { get; }

    public override bool IsResolved => false;

    internal override string TypeName => "substitution";

    public string PathText => HoconPath.Render(Path);

    public override string ToString() => Optional ? $"${{?{PathText}}}" : $"${{{PathText}}}";
}
