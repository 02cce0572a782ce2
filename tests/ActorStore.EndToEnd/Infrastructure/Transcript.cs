using System.Text;

namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>
/// A record of a scenario's commands and their answers (exit code, stdout, stderr without etcdctl's JSON log lines),
/// so a whole scenario run on etcd and on ActorStore can be compared as one text.
/// </summary>
public sealed class Transcript
{
    private readonly StringBuilder _text = new();

    public async Task<CommandResult> RunAsync(Etcdctl etcdctl, params string[] args) => await RunWithInputAsync(etcdctl, null, args);

    public async Task<CommandResult> RunWithInputAsync(Etcdctl etcdctl, string? stdin, params string[] args)
    {
        var result = await etcdctl.RunWithInputAsync(stdin, args);
        Add("etcdctl " + string.Join(' ', args), result);
        return result;
    }

    public void Add(string what, CommandResult result)
    {
        _text.Append("$ ").Append(what).Append(" -> exit ").Append(result.ExitCode).Append('\n');
        _text.Append(result.StdOut);
        var stderr = StreamingDifferential.MeaningfulStdErr(result.StdErr);
        if (stderr.Length > 0)
        {
            _text.Append("stderr: ").Append(stderr).Append('\n');
        }
    }

    public void Note(string text) => _text.Append("# ").Append(text).Append('\n');

    public override string ToString() => _text.ToString();

    public CommandResult ToResult() => new(0, ToString(), "");
}
