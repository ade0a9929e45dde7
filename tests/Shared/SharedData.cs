namespace Digest.Tests.Shared;

/// <summary>
/// The third-party data under ../shared, read in place (never copied into the repository). Outside the workplace it is
/// absent, and tests that need it report themselves skipped with that reason.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    /// <summary>The full path of a file or folder under shared/, or skips the calling test when shared/ is absent.</summary>
    public static string PathOf(string relative)
    {
        var root = Root.Value;
        if (root is null)
        {
            Assert.Skip("../shared is absent (it exists only in the workplace and CI); this test reads third-party data from there");
        }

        var path = System.IO.Path.Combine(root, relative);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
        {
            Assert.Skip($"../shared/{relative} is absent");
        }

        return path;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("DIGEST_SHARED_DIR") is { Length: > 0 } configured && System.IO.Directory.Exists(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "data")) && File.Exists(System.IO.Path.Combine(candidate, "DESIGN.md")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The repository root (the folder holding Digest.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Digest.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Digest.sln not found above " + AppContext.BaseDirectory);
    }
}
