using Xunit;

namespace ActorStore.EndToEnd.SeedsTls;

/// <summary>
/// The seeds' TLS tests share one etcd and one ActorStore cluster on one certificate directory, and run one at a time,
/// apart from the other cluster tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeedsTlsCollection : ICollectionFixture<SeedsTlsClusters>
{
    public const string Name = "seeds-tls";
}
