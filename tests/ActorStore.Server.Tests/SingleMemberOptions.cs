namespace ActorStore.Server.Tests;

/// <summary>Options of a one-member cluster "n1" on a data dir, etcd's defaults otherwise; tests change what they need with <c>with</c>.</summary>
internal static class SingleMemberOptions
{
    public static MemberOptions For(string dataDir) => new()
    {
        Name = "n1",
        DataDir = dataDir,
        AdvertiseClientUrls = ["http://127.0.0.1:2379"],
        InitialAdvertisePeerUrls = ["http://127.0.0.1:2380"],
        InitialCluster = new Dictionary<string, IReadOnlyList<string>> { ["n1"] = ["http://127.0.0.1:2380"] },
    };
}
