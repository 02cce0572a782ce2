using ActorStore.Persistence.Tests.Conformance;

namespace ActorStore.Persistence.Tests.Sqlite;

public sealed class SqliteSnapshotStoreTests : SnapshotStoreConformanceTests
{
    protected override PersistenceTestTarget CreateTarget() => new SqliteTestTarget();
}
