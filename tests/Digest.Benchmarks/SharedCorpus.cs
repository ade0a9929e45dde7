namespace Digest.Benchmarks;

/// <summary>Finds ../shared (third-party data, read in place) from the working or build directory.</summary>
internal static class SharedCorpus
{
    public static string Path(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "shared", relative);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"shared/{relative} not found: the benchmarks read third-party data from ../shared");
    }
}
