using System.Text;

namespace ActorStore.Actors.Hocon;

/// <summary>
/// Replaces substitutions by the values they name. Paths are looked up in the whole (merged) document first and in
/// the environment second; each path is resolved once, and a path met again while it is being resolved is a cycle.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly Dictionary<string, HoconValue?> _resolvedByPath = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    private HoconResolver(HoconObject root, IReadOnlyDictionary<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    public static HoconObject Resolve(HoconObject root, IReadOnlyDictionary<string, string?> environment)
    {
        if (root.IsResolved)
        {
            return root;
        }

        var resolver = new HoconResolver(root, environment);
        return resolver.ResolveObject(root, [], byPath: true);
    }

    /// <summary>Merges two trees that may still hold substitutions; <paramref name="overlay"/> wins.</summary>
    public static HoconValue MergeUnresolved(HoconValue overlay, HoconValue underlay)
    {
        if (overlay is HoconObject overlayObject && underlay is HoconObject underlayObject)
        {
            var fields = underlayObject.Fields.ToDictionary(static pair => pair.Key, static pair => pair.Value, StringComparer.Ordinal);
            var order = underlayObject.Keys.ToList();
            foreach (var (key, value) in overlayObject.Fields)
            {
                if (fields.TryGetValue(key, out var below))
                {
                    fields[key] = MergeUnresolved(value, below);
                }
                else
                {
                    fields[key] = value;
                    order.Add(key);
                }
            }

            return new HoconObject(order.Select(key => new KeyValuePair<string, HoconValue>(key, fields[key])), overlayObject.Position);
        }

        // An unresolved overlay may be an undefined ${?x} (the underlay stays) or an object (the two merge).
        if (!overlay.IsResolved || (overlay is HoconObject && !underlay.IsResolved))
        {
            return new HoconDelayedMerge(overlay, underlay);
        }

        return overlay;
    }

    /// <summary>Merges two resolved objects; <paramref name="overlay"/> wins.</summary>
    public static HoconObject MergeResolved(HoconObject overlay, HoconObject underlay) => (HoconObject)MergeUnresolved(overlay, underlay);

    private HoconValue? ResolveAtPath(IReadOnlyList<string> path, HoconValue raw)
    {
        var key = HoconPath.Key(path);
        if (_resolvedByPath.TryGetValue(key, out var done))
        {
            return done;
        }

        if (!_inProgress.Add(key))
        {
            throw new HoconParseException($"substitution cycle: resolving '{HoconPath.Render(path)}' needs its own value", raw.Position);
        }

        try
        {
            var resolved = ResolveValue(raw, path, byPath: true);
            _resolvedByPath[key] = resolved;
            return resolved;
        }
        finally
        {
            _inProgress.Remove(key);
        }
    }

    /// <summary>
    /// Resolves one node. <paramref name="byPath"/> is true while walking the document's own objects, where a path
    /// names exactly one node; inside concatenations and merges it is false, because several parts may hold fields
    /// under the same path.
    /// </summary>
    private HoconValue? ResolveValue(HoconValue raw, IReadOnlyList<string> path, bool byPath)
    {
        switch (raw)
        {
            case HoconScalar:
                return raw;
            case HoconObject obj:
                return obj.IsResolved ? obj : ResolveObject(obj, path, byPath);
            case HoconArray array:
                if (array.IsResolved)
                {
                    return array;
                }

                var items = new List<HoconValue>(array.Items.Count);
                foreach (var item in array.Items)
                {
                    var resolvedItem = ResolveValue(item, path, byPath: false);
                    if (resolvedItem is not null)
                    {
                        items.Add(resolvedItem);
                    }
                }

                return new HoconArray(items, array.Position);
            case HoconSubstitution substitution:
                return Lookup(substitution);
            case HoconConcatenation concatenation:
                return Concatenate(concatenation, path);
            case HoconDelayedMerge merge:
                var overlay = ResolveValue(merge.Overlay, path, byPath: false);
                if (overlay is null)
                {
                    return ResolveValue(merge.Underlay, path, byPath: false);
                }

                if (overlay is not HoconObject overlayObject)
                {
                    return overlay;
                }

                return ResolveValue(merge.Underlay, path, byPath: false) is HoconObject underlayObject
                    ? MergeResolved(overlayObject, underlayObject)
                    : overlayObject;
            default:
                throw new InvalidOperationException($"unexpected HOCON node {raw.GetType().Name}");
        }
    }

    private HoconObject ResolveObject(HoconObject obj, IReadOnlyList<string> path, bool byPath)
    {
        var fields = new List<KeyValuePair<string, HoconValue>>(obj.Fields.Count);
        foreach (var (key, value) in obj.Fields)
        {
            var childPath = Append(path, key);
            var resolved = byPath ? ResolveAtPath(childPath, value) : ResolveValue(value, childPath, byPath: false);
            if (resolved is not null)
            {
                fields.Add(new(key, resolved));
            }
        }

        return new HoconObject(fields, obj.Position);
    }

    private HoconValue? Lookup(HoconSubstitution substitution)
    {
        if (substitution.ConfigLookup && TryFindInDocument(substitution.Path, out var found))
        {
            return found;
        }

        var variable = string.Join('.', substitution.Path);
        if (_environment.TryGetValue(variable, out var fromEnvironment) && fromEnvironment is not null)
        {
            return new HoconScalar(fromEnvironment, HoconScalarKind.String, substitution.Position);
        }

        if (substitution.Optional)
        {
            return null;
        }

        throw new HoconParseException(
            $"could not resolve substitution {substitution} to a value: no such setting and no environment variable '{variable}'",
            substitution.Position);
    }

    private bool TryFindInDocument(IReadOnlyList<string> path, out HoconValue? found)
    {
        found = null;
        HoconValue current = _root;
        var stillRaw = true;
        for (var i = 0; i < path.Count; i++)
        {
            if (current is not HoconObject obj || !obj.TryGetField(path[i], out var child))
            {
                return false;
            }

            var isLast = i == path.Count - 1;
            HoconValue? resolved = child;
            if (stillRaw)
            {
                if (child is HoconObject && !isLast)
                {
                    // Plain objects of the document can be walked through without resolving them as a whole.
                    current = child;
                    continue;
                }

                resolved = ResolveAtPath(path.Take(i + 1).ToList(), child);
                stillRaw = false;
            }

            if (resolved is null)
            {
                return false;
            }

            if (isLast)
            {
                found = resolved;
                return true;
            }

            current = resolved;
        }

        return false;
    }

    private HoconValue? Concatenate(HoconConcatenation concatenation, IReadOnlyList<string> path)
    {
        var parts = new List<(HoconValue Value, string Whitespace)>();
        foreach (var part in concatenation.Parts)
        {
            var resolved = ResolveValue(part.Value, path, byPath: false);
            if (resolved is not null)
            {
                parts.Add((resolved, parts.Count == 0 ? "" : part.WhitespaceBefore));
            }
        }

        if (parts.Count == 0)
        {
            return null;
        }

        if (parts.Count == 1)
        {
            return parts[0].Value;
        }

        if (parts.All(static part => part.Value is HoconObject))
        {
            var merged = (HoconObject)parts[0].Value;
            foreach (var (value, _) in parts.Skip(1))
            {
                merged = MergeResolved((HoconObject)value, merged);
            }

            return merged;
        }

        if (parts.All(static part => part.Value is HoconArray))
        {
            return new HoconArray(parts.SelectMany(static part => ((HoconArray)part.Value).Items).ToList(), concatenation.Position);
        }

        var offending = parts.FirstOrDefault(static part => part.Value is HoconObject or HoconArray).Value;
        if (offending is not null)
        {
            var other = parts.First(part => part.Value.GetType() != offending.GetType()).Value;
            throw new HoconParseException(
                $"cannot concatenate a {offending.TypeName} with a {other.TypeName} in the value of '{HoconPath.Render(path)}'",
                concatenation.Position);
        }

        var text = new StringBuilder();
        foreach (var (value, whitespace) in parts)
        {
            text.Append(whitespace).Append(((HoconScalar)value).Text);
        }

        return new HoconScalar(text.ToString(), HoconScalarKind.String, concatenation.Position);
    }

    private static List<string> Append(IReadOnlyList<string> path, string key)
    {
        var result = new List<string>(path.Count + 1);
        result.AddRange(path);
        result.Add(key);
        return result;
    }
}
