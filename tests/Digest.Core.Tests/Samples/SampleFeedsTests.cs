using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Samples;

/// <summary>The offline feeds in config/samples/ that the embedded default reads: they must parse and tell the story.</summary>
public sealed class SampleFeedsTests
{
    private static readonly DateTimeOffset Now = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);

    private static string SamplesDirectory => Path.Combine(SharedData.RepositoryRoot(), "config", "samples");

    public static TheoryData<string> SampleFiles => new(Directory.GetFiles(SamplesDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Parse_SampleFile_YieldsTitledLinkedDatedItems(string file)
    {
        var feed = FeedParser.Parse(File.ReadAllBytes(Path.Combine(SamplesDirectory, file)));

        feed.Error.ShouldBeNull();
        feed.Title.ShouldNotBeNullOrWhiteSpace();
        feed.Items.Count.ShouldBeGreaterThanOrEqualTo(10);
        feed.Items.ShouldAllBe(i => !string.IsNullOrWhiteSpace(i.Title) && !string.IsNullOrWhiteSpace(i.Link));
        feed.Items.ShouldAllBe(i => i.Published >= new DateTimeOffset(2025, 11, 20, 0, 0, 0, TimeSpan.Zero) && i.Published <= Now);
    }

    [Fact]
    public void Samples_CoverRss2AtomRss1AndJsonFeed()
    {
        var heads = Directory.GetFiles(SamplesDirectory).Select(File.ReadAllText).ToList();

        heads.ShouldContain(h => h.Contains("<rss version=\"2.0\"", StringComparison.Ordinal));
        heads.ShouldContain(h => h.Contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"", StringComparison.Ordinal));
        heads.ShouldContain(h => h.Contains("<rdf:RDF", StringComparison.Ordinal) && h.Contains("http://purl.org/rss/1.0/", StringComparison.Ordinal));
        heads.ShouldContain(h => h.Contains("https://jsonfeed.org/version/1.1", StringComparison.Ordinal));
    }

    [Fact]
    public void Normalize_AllSamples_FortyDistinctItemsOnExampleDomainsWithPlainText()
    {
        var items = NormalizedSamples();

        items.Count.ShouldBeGreaterThanOrEqualTo(40);
        items.Select(i => i.Key).ShouldBeUnique();
        items.ShouldAllBe(i => new Uri(i.Url).Host.EndsWith(".example", StringComparison.Ordinal));
        items.ShouldAllBe(i => i.Summary.Length > 100);
        items.ShouldAllBe(i => !i.Summary.Contains('<') && !i.Summary.Contains("&amp;", StringComparison.Ordinal) && !i.Summary.Contains("&#", StringComparison.Ordinal));
        items.ShouldNotContain(i => i.Url.Contains("utm_", StringComparison.Ordinal));
    }

    [Fact]
    public void Normalize_AllSamples_MiamiRoundReportedByThreeOutletsWithPeskovsAnswer()
    {
        var items = NormalizedSamples();

        var miami = items.Where(i => i.Text.Contains("Miami", StringComparison.Ordinal) && i.Text.Contains("Umerov", StringComparison.Ordinal) && i.Text.Contains("Witkoff", StringComparison.Ordinal)).ToList();
        miami.Select(i => new Uri(i.Url).Host).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3);
        items.ShouldContain(i => i.Text.Contains("Peskov told reporters", StringComparison.Ordinal) && i.Text.Contains("unacceptable", StringComparison.Ordinal));
        items.ShouldContain(i => i.Text.Contains("1,300 attack drones", StringComparison.Ordinal) && i.Text.Contains("1,000", StringComparison.Ordinal));
    }

    [Fact]
    public void Opml_FeedsFile_ListsDistinctPublicHttpsFeeds()
    {
        var feeds = Opml.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot(), "config", "feeds.opml")));

        feeds.Count.ShouldBeGreaterThanOrEqualTo(10);
        feeds.ShouldAllBe(f => f.Url.StartsWith("https://", StringComparison.Ordinal) && f.Name != f.Url);
        feeds.Select(f => f.Url).ShouldBeUnique();
    }

    private static List<Item> NormalizedSamples() => Directory.GetFiles(SamplesDirectory)
        .SelectMany(f => FeedParser.Parse(File.ReadAllBytes(f)).Items)
        .Select(raw => ItemNormalizer.Normalize(raw, null, Now))
        .OfType<Item>()
        .ToList();
}
