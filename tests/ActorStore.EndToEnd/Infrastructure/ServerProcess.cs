using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// A long-running server process: started, awaited until its /health answers, stopped with SIGTERM or killed with
/// SIGKILL, paused and resumed with SIGSTOP and SIGCONT. Every one still running when the test host exits is killed,
/// so no process outlives the tests.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private static readonly IReadOnlyList<PosixSignalRegistration> KillAllOnExit = HostExit.Register(() =>
    {
        foreach (var process in Running.Values)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    });

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;
    public int ExitCode => _process.ExitCode;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = ProcessRunner.StartInfo(fileName, args, environment, redirectInput: false);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="healthUrl"/> until it answers 200 or the process exits.</summary>
    public async Task WaitHealthyAsync(string healthUrl, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode} before it was healthy:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync(healthUrl);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{healthUrl} not healthy within {timeout}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        Running.TryRemove(_process.Id, out _);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to flush anything.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>SIGTERM, then SIGKILL if it has not stopped in time.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            Running.TryRemove(_process.Id, out _);
            return;
        }
        SendSignal(_process.Id, SigTerm);
        // A paused process acts on the SIGTERM only once it runs again.
        SendSignal(_process.Id, SigCont);
        try
        {
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            await KillHardAsync();
        }
    }

    /// <summary>SIGSTOP: the process stops running but keeps its sockets; peers see it go silent.</summary>
    public void Pause()
    {
        if (!_process.HasExited)
        {
            SendSignal(_process.Id, SigStop);
        }
    }

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public void Resume()
    {
        if (!_process.HasExited)
        {
            SendSignal(_process.Id, SigCont);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private static void SendSignal(int pid, int signal) => _ = Kill(pid, signal);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
