namespace ActorStore.Certificates;

/// <summary>What one `actorstore certs` call makes.</summary>
/// <param name="Directory">Where the files go (--dir).</param>
/// <param name="MakeCa">--ca: make ca.pem and ca-key.pem; otherwise the CA already in the directory signs.</param>
/// <param name="Leaf">The member or client certificate to make, if any.</param>
internal sealed record CertsRequest(string Directory, bool MakeCa, LeafRequest? Leaf);
