using Xunit;

namespace ActorStore.EndToEnd.AkkaClient;

/// <summary>The Akka.NET client tests share one three-member mutual-TLS ActorStore cluster and run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AkkaClientCollection : ICollectionFixture<AkkaClientCluster>
{
    public const string Name = "akka-client";
}
