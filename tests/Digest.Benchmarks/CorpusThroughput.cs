using System.Diagnostics;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Benchmarks;

/// <summary>
/// The reference for <c>digest once</c> over a feed corpus on disk: CodeHollow.FeedReader alone reading every file
/// (one core, the files read from disk as <c>once</c> reads them), in items/s. Run it beside <c>digest once</c> on the
/// same corpus and machine and compare the two rates.
/// </summary>
/// <remarks>dotnet run -c Release --project tests/Digest.Benchmarks -- corpus DIR…</remarks>
internal static class CorpusThroughput
{
    public static int Run(IReadOnlyList<string> directories)
    {
        var files = directories.SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).Where(f => !f.EndsWith("LICENSE", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine("corpus: no files under " + string.Join(", ", directories));
            return 2;
        }

        // The first pass warms the JIT and the file cache; the second is timed.
        Pass(files);
        var clock = Stopwatch.StartNew();
        var items = Pass(files);
        clock.Stop();
        Console.WriteLine($"CodeHollow.FeedReader alone: {files.Count} files, {items} items in {clock.Elapsed.TotalSeconds:F2} s = {items / clock.Elapsed.TotalSeconds:F0} items/s");
        return 0;
    }

    private static int Pass(List<string> files)
    {
        var items = 0;
        foreach (var file in files)
        {
            try
            {
                items += CodeHollowReader.ReadFromByteArray(File.ReadAllBytes(file)).Items.Count;
            }
            catch (Exception e) when (e is System.Xml.XmlException or FormatException or ArgumentException or NullReferenceException)
            {
                // A document CodeHollow cannot read counts no items, as in the digest.
            }
        }

        return items;
    }
}
