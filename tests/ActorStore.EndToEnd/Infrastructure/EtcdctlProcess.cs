using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// A long-lived etcdctl (watch, lock, elect, lease keep-alive) whose stdout lines are read as they come, with stdin
/// kept open for interactive modes. It can be ended with SIGINT, SIGTERM or SIGKILL; disposing kills it if it still
/// runs, and any left when the test host exits are killed too.
/// </summary>
public sealed partial class EtcdctlProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private static readonly IReadOnlyList<PosixSignalRegistration> KillAllOnExit = HostExit.Register(() =>
    {
        foreach (var process in Running.Values)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    });

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly string _what;

    private EtcdctlProcess(Process process, string what)
    {
        _process = process;
        _what = what;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>The stdout lines so far (blank lines included), without their line ends.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    public string StdOut => string.Concat(Lines.Select(line => line + "\n"));

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts `etcdctl [global flags] args` against <paramref name="endpoint"/> (one URL or several, comma-separated).</summary>
    public static EtcdctlProcess Start(string endpoint, params string[] args)
    {
        string[] all = ["--endpoints=" + endpoint, "--dial-timeout=5s", "--command-timeout=10s", .. args];
        var info = ProcessRunner.StartInfo(
            "etcdctl", all, new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, redirectInput: true);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new EtcdctlProcess(process, "etcdctl " + string.Join(' ', args));
        process.OutputDataReceived += (_, e) => started.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => started.AppendError(e.Data);
        process.Start();
        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public static EtcdctlProcess Start(Etcdctl etcdctl, params string[] args) => Start(etcdctl.Endpoint, args);

    /// <summary>Waits until the lines so far satisfy <paramref name="condition"/>; false at the deadline or once the process ended without it.</summary>
    public async Task<bool> TryWaitForAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var exited = _process.HasExited;
            if (condition(Lines))
            {
                return true;
            }
            if (exited || DateTime.UtcNow > deadline)
            {
                // Output read after the exit is complete only once the streams reached their end.
                if (exited)
                {
                    await _process.WaitForExitAsync();
                    return condition(Lines);
                }
                return false;
            }
            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Like <see cref="TryWaitForAsync"/>, but fails with everything the process wrote.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string expectation)
    {
        if (!await TryWaitForAsync(condition, timeout))
        {
            throw new TimeoutException($"{_what}: not within {timeout}: {expectation}\n{Describe()}");
        }
    }

    /// <summary>Waits for at least <paramref name="count"/> stdout lines.</summary>
    public Task WaitForLinesAsync(int count, TimeSpan timeout) =>
        WaitForAsync(lines => lines.Count >= count, timeout, $"{count} lines");

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>SIGINT, as Ctrl-C: etcdctl lock and elect release what they hold before exiting.</summary>
    public void Interrupt() => Signal(SigInt);

    public void Terminate() => Signal(SigTerm);

    /// <summary>SIGKILL: etcdctl gets no chance to release anything; its session lease lives on until its TTL.</summary>
    public void KillHard() => Signal(SigKill);

    /// <summary>Waits for the exit and returns the outputs, or null when it still runs at the deadline.</summary>
    public async Task<CommandResult?> TryWaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        Running.TryRemove(_process.Id, out _);
        return new CommandResult(_process.ExitCode, StdOut, StdErr);
    }

    public async Task<CommandResult> WaitForExitAsync(TimeSpan timeout) =>
        await TryWaitForExitAsync(timeout) ?? throw new TimeoutException($"{_what} still runs after {timeout}\n{Describe()}");

    public string Describe() => $"--- {_what} ({(_process.HasExited ? "exited " + _process.ExitCode : "running")})\n--- stdout\n{StdOut}--- stderr\n{StdErr}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
        }
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, signal);
        }
    }

    private void AppendLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    private void AppendError(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }
    }

    private const int SigInt = 2;
    private const int SigKill = 9;
    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
