namespace ActorStore.Server.V2;

/// <summary>Key paths as etcd's v2 store cleans them (Go's path.Clean of the path joined to "/").</summary>
public static class V2Paths
{
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    public static string Join(string directory, string name) => directory == "/" ? "/" + name : directory + "/" + name;

    /// <summary>The parent directory and the last name of a clean path.</summary>
    public static (string Directory, string Name) Split(string cleanPath)
    {
        var slash = cleanPath.LastIndexOf('/');
        return (slash <= 0 ? "/" : cleanPath[..slash], cleanPath[(slash + 1)..]);
    }

    /// <summary>
    /// Whether the key lies under a hidden name (one starting with '_') below the watched path: etcd's recursive
    /// watchers do not see such keys.
    /// </summary>
    public static bool IsHiddenBelow(string watchPath, string keyPath)
    {
        if (watchPath.Length > keyPath.Length)
        {
            return false;
        }
        return Clean("/" + keyPath[watchPath.Length..]).Contains("/_", StringComparison.Ordinal);
    }
}
