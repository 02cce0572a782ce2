using System.Text;

namespace ActorStore.Actors;

/// <summary>
/// Where an actor lives, e.g. <c>actorstore://sys/user/a/b</c> or, with a remote address,
/// <c>actorstore://sys@10.0.0.1:2380/user/a</c>. Immutable; the textual form is computed once.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    public const string Scheme = "actorstore";

    private readonly string _text;

    private ActorPath(string systemName, string? hostPort, ActorPath? parent, string name)
    {
        SystemName = systemName;
        HostPort = hostPort;
        Parent = parent;
        Name = name;
        _text = parent is null ? Address + "/" : (parent.Parent is null ? parent._text + name : parent._text + "/" + name);
    }

    public string SystemName { get; }

    /// <summary>"host:port" when the path names an actor of a remote system, otherwise null.</summary>
    public string? HostPort { get; }

    /// <summary>Null for the root path.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element; empty for the root.</summary>
    public string Name { get; }

    public string Address => HostPort is null ? $"{Scheme}://{SystemName}" : $"{Scheme}://{SystemName}@{HostPort}";

    public ActorPath Root => Parent is null ? this : Parent.Root;

    /// <summary>The names below the root, outermost first (e.g. ["user", "a", "b"]).</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new List<string>();
            for (var p = this; p.Parent is not null; p = p.Parent)
            {
                elements.Add(p.Name);
            }
            elements.Reverse();
            return elements;
        }
    }

    public static ActorPath CreateRoot(string systemName, string? hostPort = null)
    {
        if (!ActorSystem.IsValidSystemName(systemName))
        {
            throw new ArgumentException($"'{systemName}' is not a valid actor system name (letters, digits, '-' and '_', starting with a letter or digit).", nameof(systemName));
        }
        return new ActorPath(systemName, string.IsNullOrEmpty(hostPort) ? null : hostPort, null, "");
    }

    public ActorPath Child(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/'))
        {
            throw new ArgumentException($"'{name}' is not a valid path element.", nameof(name));
        }
        return new ActorPath(SystemName, HostPort, this, name);
    }

    public static ActorPath Parse(string text) =>
        TryParse(text, out var path) ? path : throw new FormatException($"'{text}' is not an actor path of the form {Scheme}://system[@host:port]/a/b.");

    public static bool TryParse(string text, out ActorPath path)
    {
        path = null!;
        var prefix = Scheme + "://";
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var at = authority.IndexOf('@');
        var system = (at < 0 ? authority : authority[..at]).ToString();
        var hostPort = at < 0 ? null : authority[(at + 1)..].ToString();
        if (!ActorSystem.IsValidSystemName(system) || hostPort is { Length: 0 })
        {
            return false;
        }
        var result = new ActorPath(system, hostPort, null, "");
        if (slash >= 0)
        {
            foreach (var element in rest[(slash + 1)..].ToString().Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                result = new ActorPath(system, hostPort, result, element);
            }
        }
        path = result;
        return true;
    }

    public bool Equals(ActorPath? other) => other is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public override string ToString() => _text;

    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);

    internal static string AutoName(long sequence)
    {
        // Bijective base 26: 0 -> "$a", 25 -> "$z", 26 -> "$aa", ...
        var builder = new StringBuilder(8);
        var n = sequence + 1;
        while (n > 0)
        {
            n--;
            builder.Insert(0, (char)('a' + (int)(n % 26)));
            n /= 26;
        }
        return "$" + builder;
    }
}
