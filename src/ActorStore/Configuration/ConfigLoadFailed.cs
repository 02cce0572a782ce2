namespace ActorStore.Configuration;

/// <summary>The configuration cannot be used.</summary>
/// <param name="Message">What is wrong, naming the flag, variable or file (etcd's wording where etcd has one).</param>
/// <param name="ExitCode">
/// What etcd 3.4.23 exits with: 2 for a command line its flag parser rejects (it also prints the usage), 1 otherwise.
/// </param>
/// <param name="ShowUsage">True when etcd would print the usage text to stderr after the message.</param>
/// <param name="Usage">The usage text, for <paramref name="ShowUsage"/>.</param>
public sealed record ConfigLoadFailed(string Message, int ExitCode, bool ShowUsage, string Usage) : ConfigLoadResult;
