using System.Reflection;
using System.Runtime.InteropServices;
using ActorStore.Server;

namespace ActorStore.Configuration;

/// <summary>What --version prints: the etcd release whose API ActorStore serves first, like etcd's own first line.</summary>
internal static class VersionText
{
    public static string Build()
    {
        var assembly = typeof(VersionText).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus >= 0 ? informational[..plus] : informational;
        var commit = plus >= 0 ? informational[(plus + 1)..] : "Not provided";
        var architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "unknown";
        return $"""
            etcd Version: {EtcdVersions.Server}
            Git SHA: {commit}
            ActorStore Version: {version}
            .NET Version: {RuntimeInformation.FrameworkDescription}
            OS/Arch: {os}/{architecture}

            """;
    }
}
