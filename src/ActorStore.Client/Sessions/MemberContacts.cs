namespace ActorStore.Client.Sessions;

/// <summary>The members the client may open a session with, in order, each once (by host:port).</summary>
internal sealed class MemberContacts
{
    private readonly List<string> _members = [];

    public MemberContacts(IEnumerable<string> members)
    {
        foreach (var member in members)
        {
            Add(member);
        }
        if (_members.Count == 0)
        {
            throw new ArgumentException("ActorStoreClientOptions.Members names no member", nameof(members));
        }
    }

    public int Count => _members.Count;

    public string this[int index] => _members[((index % _members.Count) + _members.Count) % _members.Count];

    /// <summary>Adds a member not yet known; true when it was new.</summary>
    public bool Add(string member)
    {
        if (string.IsNullOrWhiteSpace(member) || IndexOf(member) >= 0)
        {
            return false;
        }
        _members.Add(member.Trim());
        return true;
    }

    public int IndexOf(string member)
    {
        var key = KeyOf(member);
        return _members.FindIndex(known => KeyOf(known) == key);
    }

    /// <summary>host:port of a peer URL or of a bare host:port; the text itself when it is neither.</summary>
    internal static string KeyOf(string member)
    {
        var text = member.Trim();
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "tcp://" + text;
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) ? $"{uri.Host}:{uri.Port}".ToLowerInvariant() : text;
    }
}
