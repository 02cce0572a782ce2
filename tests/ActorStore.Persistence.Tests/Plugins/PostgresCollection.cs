namespace ActorStore.Persistence.Tests.Plugins;

using Xunit;

/// <summary>Test classes that share one PostgreSQL server (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
