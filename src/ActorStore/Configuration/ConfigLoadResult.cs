namespace ActorStore.Configuration;

/// <summary>
/// What <see cref="ConfigLoader.Load"/> decided: run with a configuration (<see cref="ConfigLoaded"/>), print help
/// (<see cref="HelpRequested"/>) or the version (<see cref="VersionRequested"/>), or stop with an error
/// (<see cref="ConfigLoadFailed"/>).
/// </summary>
public abstract record ConfigLoadResult
{
    private protected ConfigLoadResult()
    {
    }

    /// <summary>Things to log whatever the outcome (environment variables used or ignored, deprecated flags, ...).</summary>
    public IReadOnlyList<ConfigNotice> Notices { get; init; } = [];
}
