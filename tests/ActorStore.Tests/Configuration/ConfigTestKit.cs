using ActorStore.Configuration;
using Xunit;

namespace ActorStore.Tests.Configuration;

/// <summary>Shortcuts for loading a configuration in tests and unwrapping the expected outcome.</summary>
internal static class ConfigTestKit
{
    public static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    public static ConfigLoadResult Load(params string[] args) => ConfigLoader.Load(args, NoEnvironment);

    public static ConfigLoadResult Load(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        ConfigLoader.Load(args, environment);

    public static ConfigLoaded Loaded(ConfigLoadResult result)
    {
        if (result is ConfigLoadFailed failed)
        {
            Assert.Fail($"expected a configuration, got the error: {failed.Message}");
        }

        return Assert.IsType<ConfigLoaded>(result);
    }

    public static MemberConfig Config(params string[] args) => Loaded(Load(args)).Config;

    public static ConfigLoadFailed Failed(ConfigLoadResult result) => Assert.IsType<ConfigLoadFailed>(result);

    public static IEnumerable<string> Urls(IEnumerable<Uri> urls) => urls.Select(static u => u.OriginalString);

    public static Dictionary<string, string?> Environment(params (string Name, string? Value)[] variables) =>
        variables.ToDictionary(static v => v.Name, static v => v.Value);
}
