namespace ActorStore.Actors.Hocon;

internal readonly record struct HoconConcatenationPart(HoconValue Value, string WhitespaceBefore);
