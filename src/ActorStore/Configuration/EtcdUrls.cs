using ActorStore.Protocol.Text;
using System.Net;

namespace ActorStore.Configuration;

/// <summary>
/// URL lists as etcd reads them: comma-separated, each "scheme://host:port" with scheme http, https, unix or unixs
/// and no path; kept as normalized strings (lower-case scheme), sorted, duplicates dropped. Messages are etcd's.
/// </summary>
internal static class EtcdUrls
{
    public static string? TryParseList(string text, out List<string> urls)
    {
        urls = [];
        foreach (var item in text.Split(','))
        {
            var error = TryParseOne(item.Trim(), out var normalized);
            if (error is not null)
            {
                return error;
            }

            urls.Add(normalized);
        }

        urls = urls.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return null;
    }

    public static string? TryParseOne(string text, out string normalized)
    {
        normalized = text;
        var schemeEnd = SchemeLength(text);
        if (schemeEnd < 0)
        {
            var firstSlash = text.IndexOf('/', StringComparison.Ordinal);
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0 && (firstSlash < 0 || colon < firstSlash))
            {
                return $"parse {GoQuote.Quote(text)}: first path segment in URL cannot contain colon";
            }

            return $"URL scheme must be http, https, unix, or unixs: {text}";
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https" or "unix" or "unixs"))
        {
            return $"URL scheme must be http, https, unix, or unixs: {text}";
        }

        var rest = text[(schemeEnd + 1)..];
        var authority = "";
        var path = rest;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny(['/', '?', '#'], 2);
            authority = end < 0 ? rest[2..] : rest[2..end];
            path = end < 0 ? "" : rest[end..];
        }

        var at = authority.LastIndexOf('@');
        var hostPort = at >= 0 ? authority[(at + 1)..] : authority;
        if (!GoNet.TrySplitHostPort(hostPort, out _, out _))
        {
            return $"URL address does not have the form \"host:port\": {text}";
        }

        var pathOnly = path.Split('?', '#')[0];
        if (pathOnly.Length > 0)
        {
            return $"URL must not contain a path: {text}";
        }

        normalized = scheme + text[schemeEnd..];
        return null;
    }

    public static string Host(string url)
    {
        var authority = Authority(url);
        var at = authority.LastIndexOf('@');
        GoNet.TrySplitHostPort(at >= 0 ? authority[(at + 1)..] : authority, out var host, out _);
        return host;
    }

    public static bool IsUnix(string url) => url.StartsWith("unix:", StringComparison.Ordinal) || url.StartsWith("unixs:", StringComparison.Ordinal);

    /// <summary>etcd's bind check: a listener needs an IP address or "localhost", not a host name.</summary>
    public static string? CheckBindable(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (IsUnix(url))
            {
                continue;
            }

            var host = Host(url);
            if (host != "localhost" && !IPAddress.TryParse(host, out _))
            {
                return $"expected IP in URL for binding ({url})";
            }
        }

        return null;
    }

    /// <summary>etcd's advertise check: a URL others dial needs a host.</summary>
    public static string? CheckHasHost(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            if (Host(url).Length == 0)
            {
                return $"unexpected empty host ({url})";
            }
        }

        return null;
    }

    /// <summary>
    /// Parses "name=url,name=url". A name given twice collects several URLs, as in etcd. Returns etcd's URL error
    /// message, or null.
    /// </summary>
    public static string? TryParseInitialCluster(string text, out List<(string Name, List<string> Urls)> members)
    {
        members = [];
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in text.Split(','))
        {
            if (entry.Length == 0)
            {
                continue;
            }

            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? entry[..equals] : entry;
            var url = equals >= 0 ? entry[(equals + 1)..] : "";
            if (!byName.TryGetValue(name, out var list))
            {
                list = [];
                byName[name] = list;
                members.Add((name, list));
            }

            list.Add(url);
        }

        for (var i = 0; i < members.Count; i++)
        {
            var parsed = new List<string>();
            foreach (var raw in members[i].Urls)
            {
                var error = TryParseOne(raw.Trim(), out var normalized);
                if (error is not null)
                {
                    return error;
                }

                parsed.Add(normalized);
            }

            members[i] = (members[i].Name, parsed.Order(StringComparer.Ordinal).ToList());
        }

        return null;
    }

    /// <summary>etcd's rendering of a cluster map: sorted "name=url" pairs joined by commas.</summary>
    public static string Render(IEnumerable<(string Name, List<string> Urls)> members) =>
        string.Join(',', members.SelectMany(static m => m.Urls.Select(u => $"{m.Name}={u}")).Order(StringComparer.Ordinal));

    private static string Authority(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return "";
        }

        var start = schemeEnd + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        return end < 0 ? url[start..] : url[start..end];
    }

    private static int SchemeLength(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
            {
                continue;
            }

            return c == ':' && i > 0 ? i : -1;
        }

        return -1;
    }
}
