namespace ActorStore.Actors.Remoting;

/// <summary>The part of an actor path that travels on the wire: everything after the address ("/user/raft").</summary>
internal static class ActorPathText
{
    private const int SchemeLength = 3; // "://"

    /// <summary>A view into the path's cached text, so encoding a sender allocates nothing.</summary>
    public static ReadOnlySpan<char> Relative(ActorPath path)
    {
        var text = path.ToString();
        var addressLength = ActorPath.Scheme.Length + SchemeLength + path.SystemName.Length
            + (path.HostPort is null ? 0 : path.HostPort.Length + 1);
        return text.AsSpan(addressLength);
    }

    /// <summary>Path elements of a relative path, outermost first; empty elements ("//") are skipped.</summary>
    public static string[] Elements(string relativePath) => relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
