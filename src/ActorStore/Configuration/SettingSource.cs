namespace ActorStore.Configuration;

/// <summary>The layer a setting's value came from, lowest precedence first.</summary>
internal enum SettingSource
{
    Default,
    ConfigFile,
    Environment,
    CommandLine,
}
