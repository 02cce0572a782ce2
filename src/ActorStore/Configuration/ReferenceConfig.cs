using System.Reflection;
using Akka.Configuration;

namespace ActorStore.Configuration;

/// <summary>hocon/reference.conf, compiled into the program so a node runs with no files around it.</summary>
public static class ReferenceConfig
{
    public const string ResourceName = "ActorStore.reference.conf";

    public static string ReadText()
    {
        using var stream = typeof(ReferenceConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the embedded resource {ResourceName} is missing from {typeof(ReferenceConfig).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The reference configuration on its own, parsed by Akka's HOCON.</summary>
    public static Config Load() => HoconFiles.ParseReference(ReadText());
}
