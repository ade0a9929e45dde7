using System.Text;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Feeds;

public sealed class FeedParserTests
{
    [Fact]
    public void Parse_BillionLaughs_RefusedBeforeExpansion()
    {
        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(SampleFeeds.BillionLaughs));

        result.Error.ShouldNotBeNull().ShouldStartWith("refused: the document's DTD declares entities that nest");
        result.Items.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_ExternalEntity_Refused()
    {
        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(SampleFeeds.ExternalEntity));

        result.Error.ShouldNotBeNull().ShouldStartWith("refused: the document's DTD declares an external entity");
    }

    [Fact]
    public void Parse_DtdWithoutDeclarationsButAnUndeclaredEntity_NothingLoaded_TheReferenceKeptAsWritten()
    {
        const string feed = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "file:///etc/passwd">
            <rss version="2.0"><channel><title>&leak;</title></channel></rss>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        result.Error.ShouldBeNull();
        result.Title.ShouldBe("&leak;");
    }

    [Fact]
    public void Parse_Rss091WithPublicDoctype_Parses()
    {
        const string feed = """
            <?xml version="1.0"?>
            <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
            <rss version="0.91"><channel><title>Old school</title><link>http://old.example.com/</link><description>d</description>
            <item><title>Still here</title><link>http://old.example.com/1</link></item></channel></rss>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        result.Error.ShouldBeNull();
        result.Items.Single().Title.ShouldBe("Still here");
    }

    [Fact]
    public void Parse_DoctypeInsideAnArticle_IsContentNotTheDocumentsDtd()
    {
        const string feed = """
            <rss version="2.0"><channel><title>Pages</title>
            <item><title>Saved page</title><link>https://pages.example/1</link>
            <description><![CDATA[<!DOCTYPE html [ <!ENTITY x "y"> ]><p>Body</p>]]></description></item></channel></rss>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        result.Error.ShouldBeNull();
        result.Items.Single().Summary.ShouldNotBeNull().ShouldContain("<p>Body</p>");
    }

    [Fact]
    public void Parse_MalformedXml_GivesTheReason()
    {
        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(SampleFeeds.Malformed));

        result.Error.ShouldNotBeNull().ShouldStartWith("malformed XML: ");
    }

    [Theory]
    [InlineData("<html><body><p>Not a feed</p></body></html>", "not a feed")]
    [InlineData("Just words.", "not a feed: neither XML nor JSON")]
    [InlineData("   ", "empty document")]
    [InlineData("{\"version\": \"https://jsonfeed.org/version/1.1\"}", "not a JSON Feed")]
    [InlineData("{\"items\": [", "malformed JSON")]
    public void Parse_NotAFeed_GivesTheReason(string document, string reason) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document)).Error.ShouldNotBeNull().ShouldStartWith(reason);

    [Fact]
    public void Parse_HtmlNamedEntities_Decoded()
    {
        const string feed = """
            <rss version="2.0"><channel><title>Caf&eacute; news</title>
            <item><title>Menu&nbsp;&mdash; spring</title><link>https://cafe.example/1</link></item></channel></rss>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        result.Title.ShouldBe("Café news");
        result.Items.Single().Title.ShouldBe("Menu\u00A0— spring");
    }

    [Fact]
    public void Parse_JsonFeed_ReadsItemsAuthorsAndDates()
    {
        const string feed = """
            {
              "version": "https://jsonfeed.org/version/1.1",
              "title": "Field notes",
              "items": [
                { "id": "n-1", "title": "Swallows are back", "url": "https://notes.example/swallows",
                  "content_html": "<p>Seen over the <em>river</em>.</p>", "date_published": "2025-04-02T07:30:00+02:00",
                  "authors": [ { "name": "Ines" }, { "name": "Tom" } ] },
                { "id": 2, "content_text": "A note without a title.", "date_modified": "2025-04-03T09:00:00Z" }
              ]
            }
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        result.Error.ShouldBeNull();
        result.Title.ShouldBe("Field notes");
        result.Items.Count.ShouldBe(2);
        result.Items[0].Author.ShouldBe("Ines, Tom");
        result.Items[0].Published.ShouldBe(new DateTimeOffset(2025, 4, 2, 5, 30, 0, TimeSpan.Zero));
        result.Items[1].Id.ShouldBe("2");
        result.Items[1].Updated.ShouldBe(new DateTimeOffset(2025, 4, 3, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_Atom_PrefersTheAlternateLink_AndKeepsUpdated()
    {
        const string feed = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Workshop</title>
              <entry><id>tag:workshop.example,2025:7</id><title>New lathe</title>
                <link rel="replies" href="https://workshop.example/7#comments"/>
                <link rel="alternate" href="https://workshop.example/7"/>
                <updated>2025-05-06T08:00:00Z</updated>
              </entry>
            </feed>
            """;

        var item = FeedParser.Parse(Encoding.UTF8.GetBytes(feed)).Items.Single();

        item.Link.ShouldBe("https://workshop.example/7");
        item.Updated.ShouldBe(new DateTimeOffset(2025, 5, 6, 8, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_RealLatin1Feed_ReadsTheUmlauts()
    {
        var body = File.ReadAllBytes(SharedData.PathOf("data/feeds/real/Rss20ISO88591Intranet30.xml"));

        var result = FeedParser.Parse(body);

        result.Error.ShouldBeNull();
        result.Items.ShouldContain(i => i.Title == "SVART MÅNAD - DÖDSOLYCKA i Vetlanda");
        result.Items.ShouldContain(i => i.Author == "Höglandsnytt");
    }

    [Fact]
    public void Parse_Windows1252DeclaredAsLatin1_ReadsCurlyQuotes()
    {
        // “Prévu” in windows-1252 bytes, in a document labelled Latin-1, as many servers write it.
        byte[] body =
        [
            .. "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>x</title><item><title>"u8,
            0x93, (byte)'P', (byte)'r', 0xE9, (byte)'v', (byte)'u', 0x94,
            .. "</title></item></channel></rss>"u8,
        ];

        FeedParser.Parse(body).Items.Single().Title.ShouldBe("“Prévu”");
    }

    [Fact]
    public void Parse_NoDeclaration_UsesTheHttpCharset()
    {
        var body = CodePagesEncodingProvider.Instance.GetEncoding("koi8-r")!
            .GetBytes("<rss version=\"2.0\"><channel><title>Новости</title><item><title>Переговоры</title></item></channel></rss>");

        var result = FeedParser.Parse(body, httpCharset: "KOI8-R");

        result.Title.ShouldBe("Новости");
        result.Items.Single().Title.ShouldBe("Переговоры");
    }

    [Fact]
    public void Parse_DeclarationWinsOverTheHttpCharset()
    {
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Zürich</title></channel></rss>");

        FeedParser.Parse(body, httpCharset: "iso-8859-1").Title.ShouldBe("Zürich");
    }

    [Theory]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le-bom")]
    [InlineData("utf-16be-bom")]
    [InlineData("utf-16le")]
    public void Parse_ByteOrderMarksAndUtf16_Read(string form)
    {
        const string feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Ørsted</title></channel></rss>";
        byte[] body = form switch
        {
            "utf-8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(feed)],
            "utf-16le-bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(feed)],
            "utf-16be-bom" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(feed)],
            _ => Encoding.Unicode.GetBytes(feed),
        };

        FeedParser.Parse(body).Title.ShouldBe("Ørsted");
    }

    [Fact]
    public void Parse_Utf16LabelOnAsciiBytes_ReadAsUtf8()
    {
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel><title>Mislabelled</title></channel></rss>");

        FeedParser.Parse(body).Title.ShouldBe("Mislabelled");
    }

    [Fact]
    public void Parse_DocumentOverTheCap_Refused()
    {
        var body = new byte[FeedParser.MaxCharacters + 1];

        FeedParser.Parse(body).Error.ShouldNotBeNull().ShouldStartWith("document too large");
    }

    [Fact]
    public void Ingest_OpaqueIdsWithoutLinks_NoLinkMadeUpFromTheFeedAddress()
    {
        const string feed = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "Allotment diary", "items": [
              {"id": "42", "title": "Beans are up", "content_text": "The first shoots showed this morning."},
              {"id": "https://allotment.example/posts/43", "title": "Slugs again"}
            ]}
            """;
        var feedUri = new Uri("https://allotment.example/feed.json");

        var items = ItemNormalizer.NormalizeAll(FeedParser.Parse(Encoding.UTF8.GetBytes(feed)).Items, feedUri, DateTimeOffset.UnixEpoch.AddYears(60));

        items.Select(i => i.Url).ShouldBe(["", "https://allotment.example/posts/43"]);
    }

    [Fact]
    public void Parse_ModuleNamespaceSpelledWithoutItsSlashOrOverHttps_StillRead()
    {
        const string feed = """
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content" xmlns:dc="https://purl.org/dc/elements/1.1/">
              <channel><title>Pond survey</title>
                <item><title>Frogs counted</title><link>https://pond.example/1</link>
                  <content:encoded>&lt;p&gt;Eleven frogs, two newts.&lt;/p&gt;</content:encoded>
                  <dc:date>2025-04-02T06:00:00Z</dc:date>
                </item>
              </channel>
            </rss>
            """;

        var entry = FeedParser.Parse(Encoding.UTF8.GetBytes(feed)).Items.ShouldHaveSingleItem();

        entry.Content.ShouldBe("<p>Eleven frogs, two newts.</p>");
        entry.Published.ShouldBe(new DateTimeOffset(2025, 4, 2, 6, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_BareImageThenCdataInADescription_TheCdataStaysHtml()
    {
        const string feed = """
            <rss version="2.0"><channel><title>Village hall</title>
              <item><title>Jumble sale</title><link>https://hall.example/jumble</link>
                <description><img src="https://hall.example/tables.jpg" alt="Tables" /><![CDATA[<p>Doors open at <b>ten</b> &amp; close at four.</p>]]></description>
              </item>
              <item><title>Choir</title><link>https://hall.example/choir</link>
                <description><![CDATA[<p>Rehearsal moved</p>]]><br/><![CDATA[<p>to Thursday.</p>]]></description>
              </item>
              <item><title>Quiz</title><link>https://hall.example/quiz</link>
                <description>Teams of 4 &lt; 6 <b>max</b></description>
              </item>
            </channel></rss>
            """;

        var entries = FeedParser.Parse(Encoding.UTF8.GetBytes(feed)).Items;

        entries[0].Summary.ShouldBe("""<img src="https://hall.example/tables.jpg" alt="Tables" /><p>Doors open at <b>ten</b> &amp; close at four.</p>""");
        HtmlText.ToPlainText(entries[0].Summary).ShouldBe("Doors open at ten & close at four.");
        entries[1].Summary.ShouldBe("<p>Rehearsal moved</p><br /><p>to Thursday.</p>");
        // Text beside bare tags is text, as before: its "<" is not a tag.
        entries[2].Summary.ShouldBe("Teams of 4 &lt; 6 <b>max</b>");
    }

    [Fact]
    public void Parse_FeedBurnerOrigLink_IsTheEntrysLink()
    {
        const string feed = """
            <rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
              <channel><title>Canal boats</title>
                <item><title>Lock gates mended</title>
                  <link>https://proxy.example/~r/canal/~3/Xy12/</link>
                  <feedburner:origLink>https://canal.example/2025/lock-gates</feedburner:origLink>
                </item>
                <item><title>Towpath closed</title>
                  <link>https://proxy.example/~r/canal/~3/Zq34/</link>
                  <feedburner:origLink>not an address</feedburner:origLink>
                </item>
              </channel>
            </rss>
            """;

        var entries = FeedParser.Parse(Encoding.UTF8.GetBytes(feed)).Items;

        entries.Select(e => e.Link).ShouldBe(["https://canal.example/2025/lock-gates", "https://proxy.example/~r/canal/~3/Zq34/"]);
    }

    [Fact]
    public void Parse_RssTitleNamingATag_KeepsItAsText_RealMarkupStillRead()
    {
        const string feed = """
            <rss version="2.0"><channel><title>Web platform &lt;notes&gt;</title>
              <item><title>Styling the &lt;dialog&gt; element</title><link>https://web.example/1</link></item>
              <item><title>&lt;/body&gt; is optional</title><link>https://web.example/2</link></item>
              <item><title>When 3 &lt; 4 &amp; 5 &gt; 2</title><link>https://web.example/3</link></item>
              <item><title>&lt;b&gt;Bold&lt;/b&gt; layouts</title><link>https://web.example/4</link></item>
              <item><title>Grid&lt;br/&gt;and flex</title><link>https://web.example/5</link></item>
              <item><title>Caf&amp;eacute; &lt;menu&gt;</title><link>https://web.example/6</link></item>
            </channel></rss>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(feed));

        HtmlText.ToPlainText(result.Title).ShouldBe("Web platform <notes>");
        result.Items.Select(e => HtmlText.ToPlainText(e.Title)).ShouldBe(
            ["Styling the <dialog> element", "</body> is optional", "When 3 < 4 & 5 > 2", "Bold layouts", "Grid and flex", "Café"]);
    }

    [Fact]
    public void Parse_AtomEntryDocument_ReadAsOneEntry()
    {
        const string entryDocument = """
            <entry xmlns="http://www.w3.org/2005/Atom">
              <id>tag:orchard.example,2025:apples</id>
              <title>Apple harvest starts early</title>
              <updated>2025-08-30T07:00:00Z</updated>
              <link rel="alternate" href="https://orchard.example/apples"/>
              <content type="text">Pickers were out at dawn.</content>
            </entry>
            """;

        var result = FeedParser.Parse(Encoding.UTF8.GetBytes(entryDocument));

        result.Error.ShouldBeNull();
        result.Format.ShouldBe("Atom entry");
        var entry = result.Items.ShouldHaveSingleItem();
        (entry.Title, entry.Link, entry.Updated).ShouldBe(("Apple harvest starts early", "https://orchard.example/apples", new DateTimeOffset(2025, 8, 30, 7, 0, 0, TimeSpan.Zero)));
    }
}
