namespace ActorStore.Persistence.Tests;

/// <summary>
/// The test assembly doubles as a program for work that must run in its own process: the crash tests' writer
/// (killed with SIGKILL mid-run) and the throughput measurements. The test runner never calls this.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "crash-writer" when args.Length == 4:
                return await Plugins.CrashWriter.RunAsync(args[1], args[2], args[3]);
            case "measure":
                return await Plugins.Throughput.RunAsync(args[1..]);
            default:
                await Console.Error.WriteLineAsync(
                    "usage: crash-writer sqlite|sql <data-dir|connection-string> <persistence-id> | measure [sqlite] [postgres] [events-per-writer]");
                return 2;
        }
    }
}
