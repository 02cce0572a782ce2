namespace ActorStore.Actors.Hocon;

public enum HoconScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}
