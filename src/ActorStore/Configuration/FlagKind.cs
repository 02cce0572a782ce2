namespace ActorStore.Configuration;

/// <summary>How a setting's text is parsed; each kind follows the Go flag type etcd declares for it.</summary>
internal enum FlagKind
{
    String,
    Bool,

    /// <summary>Go's uint / uint64 / int / int64 (base prefixes 0x, 0o, 0b and leading-0 octal accepted).</summary>
    Integer,

    /// <summary>etcd's own uint32 flag type, whose errors carry strconv's full message.</summary>
    UInt32,

    /// <summary>Go duration text: "5s", "1h30m", "100ms".</summary>
    Duration,

    /// <summary>Comma-separated URLs, de-duplicated and sorted.</summary>
    Urls,

    /// <summary>Comma-separated strings, de-duplicated and sorted.</summary>
    UniqueStrings,

    /// <summary>Comma-separated strings kept in order.</summary>
    Strings,

    /// <summary>One of a fixed set of words.</summary>
    Choice,

    /// <summary>A flag etcd no longer supports: accepted, warned about, ignored.</summary>
    Ignored,
}
