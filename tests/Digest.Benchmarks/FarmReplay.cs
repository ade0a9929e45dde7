using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Core.Summarization;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Benchmarks;

/// <summary>
/// The process and refresh stages' in-memory work over the harness's loopback farm, without the database, the network
/// or the sentence model: the farm's items (the harness's text pool — real headlines, summaries from the real feeds —
/// the same item numbering and publication times), classified, taken 500 at a time oldest first as the process stage
/// reads them, each pass clustered with the committed window (<see cref="StoryWindowClusterer.Pass"/>, the pipeline's
/// own code), then every story refreshed once at the end with its key lines (one source per feed). Embeddings stand in
/// as one random unit vector per distinct headline, so copies of a headline agree and the rest do not.
/// Prints the CPU of each part and a digest of the partition and of the key lines, so two builds can be compared for
/// identical results.
/// <c>dotnet run -c Release --project tests/Digest.Benchmarks -- farm-replay 2000 [lines.txt]</c> (the key lines, and the stories in lines.txt.stories, written to compare)
/// </summary>
internal static partial class FarmReplay
{
    private const int ItemsPerFeed = 23;
    private const int Batch = 500;

    public static int Run(int feeds, TextWriter output, string? linesFile = null)
    {
        var classifier = ClassifierFiles.Load(null, null, TextWriter.Null)
            ?? throw new InvalidOperationException("config/topics/ukraine-peace-talks.json or its model not found above the working directory");
        var model = StoryPairModel.Load(VerbArguments.FindConfigFile(StoryPairModel.DefaultPath)
            ?? throw new InvalidOperationException("config/models/story-pairs.json not found above the working directory"));
        var (titles, summaries) = Pool();
        var epoch = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var items = new List<StoryDocument>();
        long id = 0;
        for (var feed = 0; feed < feeds; feed++)
        {
            for (var j = 0; j < ItemsPerFeed; j++)
            {
                var n = (long)feed * 7_777 + j;
                var title = titles[(int)(n % titles.Length)];
                var summary = summaries[(int)((n * 7919 + n / titles.Length) % summaries.Length)];
                var published = epoch + TimeSpan.FromMinutes(7) * j + TimeSpan.FromMinutes(feed % 60);
                items.Add(new StoryDocument(++id, $"farm-{feed}-{j}", title, summary, $"Farm feed {feed}", published));
            }
        }

        var clock = Stopwatch.StartNew();
        var relevant = new bool[items.Count];
        Parallel.For(0, items.Count, i => relevant[i] = classifier.Classify(new ClassifierInput(items[i].Title, items[i].Summary, items[i].Outlet)).Relevant);
        output.WriteLine($"{items.Count:N0} items, {relevant.Count(r => r):N0} relevant; classified in {clock.Elapsed.TotalSeconds:F1} s");

        var extractor = new EventFeatureExtractor(classifier.Profile);
        var clusterer = new StoryWindowClusterer(extractor, new EventClusterer(null, model), new HashedEmbedder());
        var replay = new PassReplay(clusterer);
        var committed = replay.Committed;
        var ordered = items.Select((d, i) => (Document: d, Relevant: relevant[i])).OrderBy(x => x.Document.Published).ThenBy(x => x.Document.ItemId).ToList();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var passes = 0;
        foreach (var chunk in ordered.Chunk(Batch))
        {
            // As the process stage reads them: only the opening of the summary that the clusterer reads.
            var batch = chunk.Where(x => x.Relevant).Select(x => x.Document with { Summary = EventFeatureExtractor.SummaryLead(x.Document.Summary) }).ToList();
            passes++;
            replay.Pass(batch, CancellationToken.None);

            if (passes % 50 == 0)
            {
                output.WriteLine($"  pass {passes}: {committed.Count:N0} clustered, {clock.Elapsed.TotalSeconds:F1} s, GC heap {GC.GetTotalMemory(false) / 1_000_000} MB");
            }
        }

        var clusterCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var stories = committed.GroupBy(c => c.Value.StoryId).Select(g => g.Select(c => c.Key).Order().ToList()).OrderBy(s => s[0]).ToList();
        output.WriteLine($"clustering: {passes} passes, {clock.Elapsed.TotalSeconds:F1} s wall, {clusterCpu.TotalSeconds:F1} s CPU; {stories.Count:N0} stories, largest {stories.Max(s => s.Count)}, "
            + $"partition {Digest(string.Join(';', stories.Select(s => string.Join(',', s))))}; "
            + $"{replay.Moved.Moves:N0} moves of a committed item to another story, {replay.Moved.Back:N0} of them back to one it had left");

        // Every story's key lines once, as the refresh stage computes them: one source per feed, earliest first.
        var keyLines = new ExtractiveKeyLines(classifier.Profile);
        var byId = items.ToDictionary(d => d.ItemId);
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var all = new StringBuilder();
        var sources = 0;
        foreach (var story in stories)
        {
            var texts = story.Select(i => byId[i]).OrderBy(d => d.Published).ThenBy(d => d.ItemId).DistinctBy(d => d.Outlet)
                .Select(d => new SourceText(d.Title, d.Summary, d.Outlet, d.Published)).ToList();
            sources += texts.Count;
            foreach (var line in keyLines.ExtractAsync(texts, 3, CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                all.Append(line.Text).Append('|').Append(line.Speaker).Append('\n');
            }

            all.Append("--\n");
        }

        var keyCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (linesFile is not null)
        {
            File.WriteAllText(linesFile, all.ToString());
            File.WriteAllLines(linesFile + ".stories", stories.Select(s => string.Join(' ', s.Select(i => byId[i].Key + ":" + byId[i].Title))));
        }

        output.WriteLine($"key lines: {stories.Count:N0} stories, {sources:N0} sources, {keyCpu.TotalSeconds:F1} s CPU; lines {Digest(all.ToString())}");
        return 0;
    }

    /// <summary>
    /// Key lines of 80 stories made of the 100 BBC articles (shared/data/summaries/bbc): story k has 1 + 7k mod 60 of
    /// them, and every third story has each of its articles twice, under two outlets (wire copy). Writes every story's
    /// lines to <paramref name="linesFile"/>, to compare two builds.
    /// <c>dotnet run -c Release --project tests/Digest.Benchmarks -- bbc-lines lines.txt</c>
    /// </summary>
    public static int BbcLines(string linesFile, TextWriter output)
    {
        var articles = Directory.EnumerateFiles(SharedCorpus.Path("data/summaries/bbc/article"), "*.txt", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllLines)
            .Select(lines => lines.Where(l => l.Trim().Length > 0).ToList())
            .Select(lines => (Title: lines[0], Text: string.Join(' ', lines.Skip(1))))
            .ToList();
        var extractor = new ExtractiveKeyLines();
        var all = new StringBuilder();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var k = 0; k < 80; k++)
        {
            var size = 1 + (k * 7 % 60);
            var copies = k % 3 == 0 ? 2 : 1;
            var sources = Enumerable.Range(0, size).SelectMany(t => Enumerable.Range(0, copies).Select(c =>
            {
                var (title, text) = articles[(k * 13 + t) % articles.Count];
                return new SourceText(title, text, $"Outlet {t}-{c}", default);
            })).ToList();
            foreach (var line in extractor.ExtractAsync(sources, 3, CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                all.Append(line.Text).Append('|').Append(line.Speaker).Append('\n');
            }

            all.Append("--\n");
        }

        File.WriteAllText(linesFile, all.ToString());
        output.WriteLine($"80 stories of BBC articles: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU; lines {Digest(all.ToString())}");
        return 0;
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>The harness's text pool: every headline, and the real feeds' item texts (tags stripped, at most 600 characters).</summary>
    private static (string[] Titles, string[] Summaries) Pool()
    {
        var titles = File.ReadLines(SharedCorpus.Path("data/headlines/headlines.jsonl"))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("title").GetString() ?? "").ToArray();
        var summaries = new List<string>();
        foreach (var file in Directory.GetFiles(SharedCorpus.Path("data/feeds/real"), "*.xml").Order(StringComparer.Ordinal))
        {
            CodeHollow.FeedReader.Feed feed;
            try
            {
                feed = CodeHollowReader.ReadFromByteArray(File.ReadAllBytes(file));
            }
            catch (Exception e) when (e is System.Xml.XmlException or FormatException or ArgumentException or InvalidOperationException)
            {
                continue;
            }

            foreach (var item in feed.Items)
            {
                var text = Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(item.Description ?? item.Content ?? "", " ")), " ").Trim();
                if (text.Length >= 40)
                {
                    summaries.Add(text.Length > 600 ? text[..600] : text);
                }
            }
        }

        return (titles, [.. summaries]);
    }

    /// <summary>One random unit vector per distinct text (seeded by the text), 384 dimensions like MiniLM's.</summary>
    private sealed class HashedEmbedder : ITextEmbedder
    {
        public string Model => "hashed-384";

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            [.. texts.Select(t =>
            {
                var random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(t)), 0));
                var v = new float[384];
                for (var k = 0; k < v.Length; k++)
                {
                    v[k] = (float)(random.NextDouble() - 0.5);
                }

                var norm = MathF.Sqrt(v.Sum(x => x * x));
                return v.Select(x => x / norm).ToArray();
            })];
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
