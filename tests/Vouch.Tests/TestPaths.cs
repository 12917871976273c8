namespace Vouch.Tests;

/// <summary>Finds the repository and the shared folder beside it, from wherever the tests run.</summary>
internal static class TestPaths
{
    /// <summary>The repository root: the folder holding Vouch.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The shared folder beside the repository (VOUCH_SHARED overrides it).</summary>
    public static string SharedFolder =>
        Environment.GetEnvironmentVariable("VOUCH_SHARED") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vouch.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Vouch.sln not found above {AppContext.BaseDirectory}");
    }
}
