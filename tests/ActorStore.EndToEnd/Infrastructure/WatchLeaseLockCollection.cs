using Xunit;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// The single-member watch, lease, lock and election tests share one etcd and one ActorStore and run one after
/// another. Tests that write to one side only leave the revisions apart; differential tests line them up again first
/// (<see cref="RevisionAligner"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class WatchLeaseLockCollection : ICollectionFixture<PairFixture>
{
    public const string Name = "watch-lease-lock";
}
