using System.Text.RegularExpressions;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Feeds;

/// <summary>Parse + normalize over third-party corpora, read in place from shared/.</summary>
public sealed partial class FeedCorpusTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ingest_RealFeeds_EveryOneGivesTitlesAndLinks()
    {
        var files = Directory.GetFiles(SharedData.PathOf("data/feeds/real"), "*.*").Where(f => f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).Order().ToList();
        var problems = new List<string>();
        var itemCount = 0;

        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var parsed = FeedParser.Parse(File.ReadAllBytes(file));
            if (parsed.Error is { } error)
            {
                problems.Add($"{name}: {error}");
                continue;
            }

            // Some real feeds have no entries (a channel only) or entries without links (RSS 0.92 allows both).
            if (parsed.Items.Count == 0 && File.ReadAllText(file) is var source && (source.Contains("<item", StringComparison.Ordinal) || source.Contains("<entry", StringComparison.Ordinal)))
            {
                problems.Add($"{name}: entries in the source, none parsed");
            }

            foreach (var entry in parsed.Items)
            {
                var item = ItemNormalizer.Normalize(entry, null, Now);
                if (item is null || item.Title.Length == 0)
                {
                    problems.Add($"{name}: an entry without a title ({entry.Id ?? entry.Link})");
                }
                else if (!string.IsNullOrWhiteSpace(entry.Link) && item.Url.Length == 0)
                {
                    problems.Add($"{name}: link '{entry.Link}' lost");
                }
            }

            itemCount += parsed.Items.Count;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{files.Count} real feeds, {itemCount} items, {problems.Count} problems");
        files.Count.ShouldBeGreaterThan(40);
        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Ingest_FeedparserCorpus_NoExceptionEscapes()
    {
        var files = Directory.GetFiles(SharedData.PathOf("data/feeds/feedparser"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Equals("LICENSE", StringComparison.Ordinal)).Order().ToList();
        var withItems = 0;
        var empty = 0;
        var errors = new Dictionary<string, int>();
        var exceptions = new List<string>();

        foreach (var file in files)
        {
            try
            {
                var body = File.ReadAllBytes(file);
                var result = FeedIngest.Read(body, HttpCharset(body), new Uri("http://feeds.example/"), Now);
                if (result.Error is { } error)
                {
                    var kind = error.Split(':')[0];
                    errors[kind] = errors.GetValueOrDefault(kind) + 1;
                }
                else if (result.Items.Count > 0)
                {
                    withItems++;
                }
                else
                {
                    empty++;
                }
            }
            catch (Exception e)
            {
                exceptions.Add($"{Path.GetRelativePath(SharedData.PathOf("data/feeds/feedparser"), file)}: {e.GetType().Name}: {e.Message}");
            }
        }

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{files.Count} feedparser documents: {withItems} with items, {empty} parsed without items, {errors.Values.Sum()} with an error, {exceptions.Count} exceptions");
        foreach (var (kind, count) in errors.OrderByDescending(e => e.Value))
        {
            output?.WriteLine($"  {count,5}  {kind}");
        }

        files.Count.ShouldBeGreaterThan(2000);
        exceptions.ShouldBeEmpty();
    }

    /// <summary>The feedparser tests note the HTTP header they assume in a comment ("Header: Content-type: …; charset=…").</summary>
    private static string? HttpCharset(byte[] body)
    {
        var head = System.Text.Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 600));
        var match = HeaderCharset().Match(head);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"Header:\s*Content-type:[^\r\n]*charset=['""]?([A-Za-z0-9._-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderCharset();
}
