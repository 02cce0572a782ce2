using Akka.Actor;
using ActorStore.Client.Wire;

namespace ActorStore.Client.Remoting;

/// <summary>Where a member's client entry actor lives: <c>akka.ssl.tcp://actorstore@host:port/user/clients</c>.</summary>
internal static class MemberEntries
{
    /// <summary>Every member's actor system has this name (ActorStore.Server's PeerRefs.SystemName).</summary>
    public const string MemberSystemName = "actorstore";

    /// <summary>True when the client speaks TLS to the members: an https:// URL, or bare host:port with a client certificate.</summary>
    public static bool UsesTls(ActorStoreClientOptions options) =>
        options.Members.Any(member => member.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        || (options.Certificate is not null && !options.Members.Any(member => member.StartsWith("http://", StringComparison.OrdinalIgnoreCase)));

    /// <summary>The entry path of the member at <paramref name="member"/> (a peer URL or host:port).</summary>
    public static ActorPath EntryOf(string member, bool tls)
    {
        var text = member.Trim();
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : (tls ? "https://" : "http://") + text;
        var url = new Uri(withScheme);
        // A member speaks TLS on its peer port exactly when its peer URLs are https://.
        var protocol = url.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? "akka.ssl.tcp" : "akka.tcp";
        var address = new Address(protocol, MemberSystemName, url.Host.Trim('[', ']'), url.Port);
        return new RootActorPath(address) / "user" / SessionProof.EntryActorName;
    }

    /// <summary>True when every member is on this machine's loopback, so the client can listen on 127.0.0.1 alone.</summary>
    public static bool AllOnLoopback(ActorStoreClientOptions options) => options.Members.All(member =>
    {
        var text = member.Contains("://", StringComparison.Ordinal) ? member : "tcp://" + member;
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.IsLoopback || url.Host == "localhost");
    });
}
