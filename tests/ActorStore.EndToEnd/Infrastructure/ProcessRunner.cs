using System.Diagnostics;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>Runs a short command to completion with a time limit, feeding stdin and capturing both outputs.</summary>
public static class ProcessRunner
{
    /// <summary>How every test process is started: arguments as a list (no shell), outputs captured.</summary>
    public static ProcessStartInfo StartInfo(
        string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, bool redirectInput)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }
        return info;
    }

    public static async Task<CommandResult> RunAsync(
        string fileName, IEnumerable<string> args, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = StartInfo(fileName, args, environment, redirectInput: true);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish in time");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
