using System.Text.Json;

namespace ActorStore.EndToEnd.PeerTls;

/// <summary>
/// A peer connection a member turned away at the TLS layer, as etcd 3.4.23 with --logger=zap logs it:
/// <c>{"level":"warn",...,"msg":"rejected connection","remote-addr":"127.0.0.1:40430","server-name":"","error":"tls: ..."}</c>.
/// When the handshake got as far as the remote's certificate, etcd adds its "ip-addresses" and "dns-names".
/// ActorStore writes the same JSON lines.
/// </summary>
public sealed record RejectedConnection(string RemoteAddr, string Error, IReadOnlyList<string> DnsNames)
{
    public const string Message = "rejected connection";

    /// <summary>Every such line in a member's output.</summary>
    public static IReadOnlyList<RejectedConnection> In(string output)
    {
        var found = new List<RejectedConnection>();
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith('{') || !line.Contains(Message, StringComparison.Ordinal))
            {
                continue;
            }
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (Text(root, "msg") == Message)
                {
                    found.Add(new RejectedConnection(Text(root, "remote-addr"), Text(root, "error"), Texts(root, "dns-names")));
                }
            }
            catch (JsonException)
            {
                // A line cut short by a killed process; not one of ours to judge.
            }
        }
        return found;
    }

    public override string ToString() =>
        $"rejected {RemoteAddr}: {Error}" + (DnsNames.Count > 0 ? $" (dns-names {string.Join(',', DnsNames)})" : "");

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static IReadOnlyList<string> Texts(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => item.GetString() ?? "").ToArray()
            : [];
}
