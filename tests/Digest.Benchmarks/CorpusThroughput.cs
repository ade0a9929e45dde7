using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Benchmarks;

/// <summary>
/// The reference for <c>digest once</c> over a feed corpus on disk: CodeHollow.FeedReader alone reading every file
/// (one core, the files read from disk as <c>once</c> reads them), in items/s. Run it beside <c>digest once</c> on the
/// same corpus and machine and compare the two rates.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project tests/Digest.Benchmarks -- corpus DIR…
/// dotnet run -c Release --project tests/Digest.Benchmarks -- make-corpus ../shared/data/feeds/real /tmp/corpus 45
/// </remarks>
internal static partial class CorpusThroughput
{
    /// <summary>
    /// Writes <paramref name="copies"/> copies of every feed in <paramref name="source"/> under <c>destination/cNN/</c>, each
    /// copy's guids, ids and links made unique (a suffix before the closing tag, a query on each link), so every item is a
    /// new item to the bot.
    /// </summary>
    public static int Make(string source, string destination, int copies)
    {
        var files = Directory.EnumerateFiles(source).Where(f => !f.EndsWith("LICENSE", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        for (var n = 0; n < copies; n++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(destination, $"c{n:00}")).FullName;
            foreach (var file in files)
            {
                // Latin-1 keeps every byte as it is, whatever the document's encoding.
                var text = Encoding.Latin1.GetString(File.ReadAllBytes(file));
                text = text.Replace("</guid>", $"-c{n}</guid>", StringComparison.Ordinal).Replace("</id>", $"-c{n}</id>", StringComparison.Ordinal)
                    .Replace("</link>", $"?c={n}</link>", StringComparison.Ordinal);
                text = Href().Replace(text, m => $"{m.Groups[1].Value}?c={n}\"");
                text = JsonId().Replace(text, m => $"{m.Groups[1].Value}-c{n}\"");
                File.WriteAllBytes(Path.Combine(folder, Path.GetFileName(file)), Encoding.Latin1.GetBytes(text));
            }
        }

        Console.WriteLine($"{copies} copies of {files.Count} feeds under {destination}");
        return 0;
    }

    [GeneratedRegex(@"(<link[^>]*href=""[^""]*)""")]
    private static partial Regex Href();

    [GeneratedRegex(@"(""(?:id|url)""\s*:\s*""[^""]*)""")]
    private static partial Regex JsonId();

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
