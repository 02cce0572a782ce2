namespace ActorStore.EndToEnd.Infrastructure;

public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Fails with the whole output when the command did not succeed.</summary>
    public static CommandResult AssertOk(CommandResult result)
    {
        Xunit.Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}--- stderr\n{StdErr}";
}
