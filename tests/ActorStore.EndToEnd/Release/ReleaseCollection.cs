using Xunit;

namespace ActorStore.EndToEnd.Release;

/// <summary>The tests of the release build share one publish (<see cref="ReleaseBinary"/>) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseCollection : ICollectionFixture<ReleaseBinary>
{
    public const string Name = "release-binary";
}
