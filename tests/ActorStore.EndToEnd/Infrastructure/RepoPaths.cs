namespace ActorStore.EndToEnd.Infrastructure;

/// <summary>Finds the built `actorstore` next to this test assembly's build (same configuration).</summary>
public static class RepoPaths
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ActorStore.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("ActorStore.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ActorStoreDll
    {
        get
        {
            // The test assembly lives in tests/ActorStore.EndToEnd/bin/<Configuration>/<tfm>/.
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmDir.Parent!.Name;
            var dll = Path.Combine(RepoRoot, "src", "ActorStore", "bin", configuration, tfmDir.Name, "actorstore.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/ActorStore first", dll);
        }
    }
}
