using System.Security.Cryptography.X509Certificates;
using ActorStore.Certificates;
using ActorStore.EndToEnd.Infrastructure;
using ActorStore.Tests.Logging;

namespace ActorStore.Tests.Certificates;

/// <summary>Runs `actorstore certs` in the test's process, with its outputs captured and a clock of the test's choosing.</summary>
internal static class CertsRun
{
    public static async Task<CommandResult> RunAsync(TimeProvider clock, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CertsCommand.RunAsync(args, stdout, stderr, clock);
        return new CommandResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<CommandResult> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    public static async Task<CommandResult> RunOkAsync(params string[] args) => CommandResult.AssertOk(await RunAsync(args));

    public static Task<CommandResult> RunAtAsync(DateTimeOffset now, params string[] args) => RunAsync(new FixedTimeProvider(now), args);

    public static X509Certificate2 Read(string directory, string fileName) =>
        X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, fileName));

    /// <summary>Every file in the directory, with its bytes, to show that a refused call changed nothing.</summary>
    public static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory).ToDictionary(static file => Path.GetFileName(file), File.ReadAllBytes);
}
