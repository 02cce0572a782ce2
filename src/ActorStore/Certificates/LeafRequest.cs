namespace ActorStore.Certificates;

/// <summary>A member certificate (server and client use, with the member's hosts) or a client certificate.</summary>
/// <param name="Name">The certificate's common name and its files' names: NAME.pem, NAME-key.pem.</param>
internal sealed record LeafRequest(string Name, bool IsMember, IReadOnlyList<string> Hosts);
