using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.V2;

/// <summary>A single-member ActorStore and a single-member etcd 3.4.23, both serving the v2 API.</summary>
public sealed class V2PairFixture : PairFixture
{
    protected override string[] ExtraArgs() => ["--enable-v2"];
}
