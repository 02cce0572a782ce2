using System.Diagnostics;
using System.Text;
using ActorStore.EndToEnd.Infrastructure;

namespace ActorStore.Tests.Certificates;

/// <summary>A real etcd 3.4.23 member in a test's temp directory, killed (with anything it started) on dispose.</summary>
internal sealed class RealEtcd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RealEtcd(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the member logged so far, for a failing assertion's message.</summary>
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

    public static RealEtcd Start(params string[] args) =>
        new(Process.Start(ProcessRunner.StartInfo("etcd", args, environment: null, redirectInput: false))
            ?? throw new InvalidOperationException("could not start etcd"));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
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
}
