namespace ActorStore.Configuration;

/// <summary>What a bare number means when a setting is read from HOCON.</summary>
internal enum HoconUnit
{
    None,
    Milliseconds,
    Seconds,
    Bytes,
}
