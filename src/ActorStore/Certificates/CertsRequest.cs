namespace ActorStore.Certificates;

/// <summary>What one `actorstore certs` call makes.</summary>
/// <param name="Directory">Where the files go (--dir).</param>
/// <param name="MakeCa">--ca: make ca.pem and ca-key.pem; otherwise the CA already in the directory signs.</param>
/// <param name="Leaf">The member or client certificate to make, if any.</param>
internal sealed record CertsRequest(string Directory, bool MakeCa, LeafRequest? Leaf);

/// <summary>A member certificate (server and client use, with the member's hosts) or a client certificate.</summary>
/// <param name="Name">The certificate's common name and its files' names: NAME.pem, NAME-key.pem.</param>
internal sealed record LeafRequest(string Name, bool IsMember, IReadOnlyList<string> Hosts);
