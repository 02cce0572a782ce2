namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>The real etcdctl 3.4 from Debian, pointed at one endpoint.</summary>
public sealed class Etcdctl
{
    private static readonly IReadOnlyDictionary<string, string> Environment =
        new Dictionary<string, string> { ["ETCDCTL_API"] = "3" };

    public Etcdctl(string endpoint)
    {
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public Task<CommandResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public Task<CommandResult> RunWithInputAsync(string? stdin, params string[] args) =>
        ProcessRunner.RunAsync(
            "etcdctl",
            new[] { "--endpoints=" + Endpoint, "--dial-timeout=5s", "--command-timeout=10s" }.Concat(args),
            stdin,
            Environment);
}
