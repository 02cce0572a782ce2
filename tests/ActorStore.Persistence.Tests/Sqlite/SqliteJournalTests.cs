using ActorStore.Persistence.Tests.Conformance;

namespace ActorStore.Persistence.Tests.Sqlite;

public sealed class SqliteJournalTests : JournalConformanceTests
{
    protected override PersistenceTestTarget CreateTarget() => new SqliteTestTarget();
}
