using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.EndToEnd.V2;

/// <summary>The real etcdctl 3.4 speaking the v2 API (ETCDCTL_API=2), pointed at one endpoint.</summary>
public sealed class EtcdctlV2(string endpoint)
{
    private static readonly IReadOnlyDictionary<string, string> Environment =
        new Dictionary<string, string> { ["ETCDCTL_API"] = "2" };

    public Task<CommandResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("etcdctl", new[] { "--endpoints", endpoint, "--timeout", "5s" }.Concat(args), null, Environment);
}
