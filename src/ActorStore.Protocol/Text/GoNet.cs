namespace ActorStore.Protocol.Text;

/// <summary>Go's net package as etcd's messages and checks depend on it.</summary>
public static class GoNet
{
    /// <summary>Go's net.SplitHostPort: "host:port", "[v6]:port"; the port may be empty, the colon may not.</summary>
    public static bool TrySplitHostPort(string hostPort, out string host, out string port)
    {
        host = port = "";
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= hostPort.Length || hostPort[close + 1] != ':')
            {
                return false;
            }

            host = hostPort[1..close];
            port = hostPort[(close + 2)..];
            return !port.Contains(':', StringComparison.Ordinal);
        }

        var colon = hostPort.LastIndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        host = hostPort[..colon];
        port = hostPort[(colon + 1)..];
        return !host.Contains(':', StringComparison.Ordinal) && !host.Contains('[', StringComparison.Ordinal) && !host.Contains(']', StringComparison.Ordinal);
    }
}
