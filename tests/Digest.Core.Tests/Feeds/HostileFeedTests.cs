using System.Text;
using Digest.Core.Feeds;
using Digest.Core.Items;

namespace Digest.Core.Tests.Feeds;

/// <summary>Feeds written to hurt a reader, and feeds broken the way real ones are: each refused with its limit named, or read.</summary>
public sealed class HostileFeedTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ParsedFeed Parse(string xml, string? charset = null, Uri? documentUri = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), charset, documentUri, null);

    [Fact]
    public void Parse_HundredThousandNestedElements_RefusedNamingTheLimit()
    {
        var xml = "<rss version=\"2.0\"><channel><title>Deep</title>" + string.Concat(Enumerable.Repeat("<x>", 100_000)) + string.Concat(Enumerable.Repeat("</x>", 100_000)) + "</channel></rss>";

        Parse(xml).Error.ShouldBe("element nesting deeper than 256");
    }

    [Fact]
    public void Parse_DeepNestingInsideAnItemsDescription_RefusedToo()
    {
        var xml = "<rss version=\"2.0\"><channel><item><title>t</title><description>" + string.Concat(Enumerable.Repeat("<div>", 5000)) + string.Concat(Enumerable.Repeat("</div>", 5000)) + "</description></item></channel></rss>";

        Parse(xml).Error.ShouldBe("element nesting deeper than 256");
    }

    [Fact]
    public void Parse_ConfiguredDepth_IsTheLimitNamed()
    {
        var xml = "<rss version=\"2.0\"><channel><title>t</title><a><b><c><d></d></c></b></a></channel></rss>";

        FeedParser.Parse(Encoding.UTF8.GetBytes(xml), null, null, new FeedParseLimits(4, TimeSpan.FromSeconds(5))).Error.ShouldBe("element nesting deeper than 4");
    }

    [Fact]
    public void Parse_OverTheTimeBudget_RefusedNamingTheBudget()
    {
        var items = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<item><title>Item {i}</title></item>"));
        var limits = new FeedParseLimits(256, TimeSpan.FromSeconds(2)) { Time = new SteppingTime(TimeSpan.FromSeconds(1)) };

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes($"<rss version=\"2.0\"><channel>{items}</channel></rss>"), null, null, limits);

        result.Error.ShouldBe("parsing took longer than 2 s");
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-7\"?><rss version=\"2.0\"><channel><title>Seven</title></channel></rss>", null, "unsupported encoding utf-7 (from the XML declaration)")]
    [InlineData("<rss version=\"2.0\"><channel><title>Seven</title></channel></rss>", "UTF-7", "unsupported encoding utf-7 (from the HTTP charset)")]
    public void Parse_Utf7_UnsupportedEncodingError(string xml, string? charset, string error) => Parse(xml, charset).Error.ShouldBe(error);

    [Theory]
    [InlineData("\n\n<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")]
    [InlineData("\uFEFF  \r\n<?xml version=\"1.0\"?>")]
    [InlineData("<br />\n<b>Warning</b>: Cannot modify header information in feed.php on line 12<br />\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>")]
    public void Parse_WhitespaceOrJunkBeforeTheDeclaration_Read(string before)
    {
        var result = Parse(before + "<rss version=\"2.0\"><channel><title>Blog</title><item><title>Post</title><link>https://blog.example/p</link></item></channel></rss>");

        result.Error.ShouldBeNull();
        result.Items.Single().Title.ShouldBe("Post");
    }

    [Fact]
    public void Parse_PhpWarningBeforeTheDocument_Warned() =>
        Parse("Notice: Undefined index in feed.php\n<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title></channel></rss>")
            .Warnings.ShouldContain(w => w.Contains("junk before the XML document", StringComparison.Ordinal));

    [Fact]
    public void Parse_Utf16HttpCharsetOnAnAsciiBody_ReadAsUtf8WithAWarning()
    {
        var result = Parse("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Mislabelled</title><item><title>Still read</title></item></channel></rss>", "utf-16");

        result.Error.ShouldBeNull();
        result.Items.Single().Title.ShouldBe("Still read");
        result.Encoding.ShouldBe("utf-8");
        result.Warnings.ShouldContain("the HTTP charset says utf-16 but the bytes are not; ignored");
    }

    [Fact]
    public void Parse_Latin1BytesLabelledUtf8_ReadAsWindows1252()
    {
        byte[] body = [.. "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Z"u8, 0xFC, .. "rich</title></channel></rss>"u8];

        var result = FeedParser.Parse(body);

        result.Title.ShouldBe("Zürich");
        result.Encoding.ShouldBe("windows-1252");
    }

    [Theory]
    [InlineData("cp1251", 1251, "Новости района")]
    [InlineData("CP1251", 1251, "Новости района")]
    [InlineData("ibm866", 866, "Новости района")]
    [InlineData("csIBM866", 866, "Новости района")]
    [InlineData("850", 850, "Café à côté")]
    [InlineData("mac-roman", 10000, "Café à côté")]
    [InlineData("mac-cyrillic", 10007, "Новости района")]
    public void Parse_CodePageLabelsThatPythonAndPhpWrite_Read(string label, int codePage, string title)
    {
        var body = CodePagesEncodingProvider.Instance.GetEncoding(codePage)!.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"{label}\"?><rss version=\"2.0\"><channel><title>{title}</title></channel></rss>");

        var result = FeedParser.Parse(body);

        result.Title.ShouldBe(title);
        result.Warnings.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("cp65000")]
    [InlineData("65000")]
    public void Parse_Utf7ByCodePageNumber_NotTakenForAnEncoding(string label) =>
        Parse($"<?xml version=\"1.0\" encoding=\"{label}\"?><rss version=\"2.0\"><channel><title>Plain</title></channel></rss>")
            .Warnings.ShouldContain($"unknown encoding '{label}' in the XML declaration; ignored");

    [Fact]
    public void Parse_Ebcdic_TheDeclarationNamesThePage()
    {
        var body = CodePagesEncodingProvider.Instance.GetEncoding(500)!.GetBytes(
            "<?xml version=\"1.0\" encoding=\"IBM500\"?><rss version=\"2.0\"><channel><title>Mainframe [notes]</title></channel></rss>");

        var result = FeedParser.Parse(body);

        result.Title.ShouldBe("Mainframe [notes]");
        result.Encoding.ShouldBe("ibm500");
    }

    [Fact]
    public void Parse_RelativeLinks_ResolvedAgainstXmlBaseThenTheFeedsLink()
    {
        var result = Parse("""
            <rss version="2.0"><channel><title>Relative</title><link>https://site.example/blog/</link>
              <item><title>Against the feed's link</title><link>posts/1</link></item>
              <item xml:base="https://cdn.example/archive/"><title>Against xml:base</title><link>2</link></item>
            </channel></rss>
            """, documentUri: new Uri("https://feeds.example/site.xml"));

        result.Items.Select(i => i.Link).ShouldBe(["https://site.example/blog/posts/1", "https://cdn.example/archive/2"]);
        result.Warnings.ShouldContain("2 relative links resolved against https://site.example/blog/");
    }

    [Fact]
    public void Parse_AtomXmlBaseChain_ResolvedAgainstTheDocument()
    {
        var result = Parse("""
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="/news/">
              <title>Based</title>
              <entry xml:base="2025/"><title>Entry</title><link href="item.html"/></entry>
            </feed>
            """, documentUri: new Uri("https://paper.example/feeds/atom.xml"));

        result.Items.Single().Link.ShouldBe("https://paper.example/news/2025/item.html");
    }

    [Fact]
    public void Ingest_AtomWithoutIds_EntriesKeptApartByTheirLinks()
    {
        const string feed = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>No ids</title>
              <entry><title>First</title><link href="https://noid.example/1"/><updated>2025-05-01T10:00:00Z</updated></entry>
              <entry><title>Second</title><link href="https://noid.example/2"/><updated>2025-05-02T10:00:00Z</updated></entry>
            </feed>
            """;

        var result = FeedIngest.Read(Encoding.UTF8.GetBytes(feed), null, null, Now);

        result.Error.ShouldBeNull();
        result.Items.Select(i => i.Key).ShouldBe(["u:https://noid.example/1", "u:https://noid.example/2"]);
    }

    [Fact]
    public void Parse_Rss090_ItemsBesideTheChannel()
    {
        var result = Parse("""
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
              <channel><title>Ninety</title><link>http://ninety.example/</link></channel>
              <item><title>Old item</title><link>http://ninety.example/1</link></item>
            </rdf:RDF>
            """);

        result.Format.ShouldBe("RSS 0.90");
        result.Title.ShouldBe("Ninety");
        result.Items.Single().Link.ShouldBe("http://ninety.example/1");
    }

    [Fact]
    public void Parse_Rss091WithoutGuidsOrDates_ReadAndWarned()
    {
        var result = Parse("""
            <rss version="0.91"><channel><title>Ninety-one</title><link>http://old.example/</link>
              <item><title>One</title><link>http://old.example/1</link></item>
              <item><description>Only a description &amp;mdash; no title.</description></item>
            </channel></rss>
            """);

        result.Format.ShouldBe("RSS 0.91");
        result.Items.Count.ShouldBe(2);
        result.Warnings.ShouldContain("2 of 2 entries have no date (they are dated when first seen)");
        result.Warnings.ShouldContain("1 entries have no title (their text stands in for it)");
    }

    [Fact]
    public void Parse_DuplicateIds_Warned() =>
        Parse("""
            <rss version="2.0"><channel><title>Dup</title>
              <item><title>A</title><guid>same</guid></item><item><title>B</title><guid>same</guid></item>
            </channel></rss>
            """).Warnings.ShouldContain("1 ids are shared by several entries (those entries are told apart by their links)");

    [Fact]
    public void Parse_BareAmpersandsAndUndeclaredPrefix_Read()
    {
        var result = Parse("""
            <rss version="2.0"><channel><title>Q&A weekly</title>
              <item><title>Tom & Jerry</title><link>https://qa.example/?a=1&b=2</link><dc:creator>Ann</dc:creator></item>
            </channel></rss>
            """);

        result.Error.ShouldBeNull();
        result.Title.ShouldBe("Q&A weekly");
        result.Items.Single().Link.ShouldBe("https://qa.example/?a=1&b=2");
        result.Items.Single().Author.ShouldBe("Ann");
    }

    [Fact]
    public void Parse_BrokenAfterSomeItems_KeepsThemWithAWarning()
    {
        var result = Parse("<rss version=\"2.0\"><channel><title>Cut</title><item><title>Whole</title></item><item><title>Broken</item></channel></rss>");

        result.Error.ShouldBeNull();
        result.Items.Single().Title.ShouldBe("Whole");
        result.Warnings.ShouldContain(w => w.StartsWith("malformed XML", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x3C, 0x72 }, "not a feed: gzip-compressed data (sent without Content-Encoding: gzip)")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x3C }, "not a feed: a PNG image")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x3C }, "not a feed: a PDF document")]
    public void Parse_BinaryFile_NamedForWhatItIs(byte[] body, string error) => FeedParser.Parse(body).Error.ShouldBe(error);

    [Fact]
    public void Parse_HtmlPage_NotAFeed() =>
        Parse("<!DOCTYPE html><html><head><title>Home</title></head><body></body></html>").Error.ShouldBe("not a feed: an HTML page");

    [Fact]
    public void Parse_PlainTextEntitiesInTheDtd_Expanded_NestedOnesRefused()
    {
        Parse("""<!DOCTYPE rss [ <!ENTITY site "Harbour"> ]><rss version="2.0"><channel><title>&site; news</title></channel></rss>""").Title.ShouldBe("Harbour news");
        Parse("""<!DOCTYPE rss [ <!ENTITY a "x"> <!ENTITY b "&a;&a;"> ]><rss version="2.0"><channel><title>&b;</title></channel></rss>""")
            .Error.ShouldNotBeNull().ShouldStartWith("refused: the document's DTD declares entities that nest");
    }

    [Fact]
    public void Normalize_BidiOverridesAndZeroWidthCharacters_Stripped()
    {
        var entry = new FeedItem("1", "Zel\u200Bensky \u202Eevil\u202C talks\u2066!\u2069", "https://x.example/1", "So\u00ADft\u200Dly", null, "An\u200Fna", null, null);

        var item = ItemNormalizer.Normalize(entry, null, Now)!;

        item.Title.ShouldBe("Zelensky evil talks!");
        item.Summary.ShouldBe("Softly");
        item.Author.ShouldBe("Anna");
    }

    [Fact]
    public void Normalize_JoinersThatWritingNeeds_Kept()
    {
        // A family emoji (joined by ZWJ) and a Persian word with a zero-width non-joiner.
        var entry = new FeedItem("1", "👨\u200D👩\u200D👧 می\u200Cخواهم", "https://x.example/1", null, null, null, null, null);

        ItemNormalizer.Normalize(entry, null, Now)!.Title.ShouldBe("👨\u200D👩\u200D👧 می\u200Cخواهم");
    }

    [Theory]
    [InlineData("https://user:secret@feeds.example/rss", "https://***@feeds.example/rss")]
    [InlineData("failed to fetch http://bob:pw@h.example/a and ftp://x@y.example/", "failed to fetch http://***@h.example/a and ftp://***@y.example/")]
    [InlineData("https://feeds.example/rss?mail=a@b.example", "https://feeds.example/rss?mail=a@b.example")]
    public void SafeUrl_CredentialsNeverShown(string text, string shown) => SafeUrl.RedactIn(text).ShouldBe(shown);

    [Fact]
    public void Normalize_CredentialsInAnItemsLink_Dropped() =>
        ItemNormalizer.Normalize(new FeedItem(null, "t", "https://u:p@x.example/1", null, null, null, null, null), null, Now)!.Url.ShouldBe("https://x.example/1");

    /// <summary>A clock that moves forward each time it is read, so a parse's budget runs out after a known number of checks.</summary>
    private sealed class SteppingTime(TimeSpan step) : TimeProvider
    {
        private long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref ticks, step.Ticks);
    }
}
