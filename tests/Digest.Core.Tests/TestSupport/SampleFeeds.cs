namespace Digest.Core.Tests.TestSupport;

/// <summary>Small feeds written for these tests: one well-behaved, the others hostile or broken in one specific way.</summary>
public static class SampleFeeds
{
    public const string GoodRss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0">
          <channel>
            <title>Harbour Gazette</title>
            <link>https://gazette.example.org/</link>
            <description>Local news</description>
            <item>
              <title>Ferry timetable changes for winter</title>
              <link>https://gazette.example.org/ferry?utm_source=rss</link>
              <guid isPermaLink="false">gazette-1001</guid>
              <pubDate>Mon, 03 Mar 2025 08:15:00 +0100</pubDate>
              <description>&lt;p&gt;The &lt;b&gt;early&lt;/b&gt; crossing moves to 06:40.&lt;/p&gt;</description>
            </item>
            <item>
              <title>Lighthouse reopens to visitors</title>
              <link>https://gazette.example.org/lighthouse</link>
              <guid isPermaLink="false">gazette-1002</guid>
              <pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>
              <description>Tours start on Saturday.</description>
            </item>
          </channel>
        </rss>
        """;

    /// <summary>Nested entities: ten levels of ten, a few hundred bytes that expand to a billion "lol"s.</summary>
    public static readonly string BillionLaughs = string.Concat(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n  <!ENTITY lol \"lol\">\n",
        string.Concat(Enumerable.Range(1, 9).Select(i => $"  <!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">\n")),
        "]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>");

    public const string ExternalEntity = """
        <?xml version="1.0"?>
        <!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
        <rss version="2.0"><channel><title>Leak</title><item><title>&secret;</title><link>https://x.example/1</link></item></channel></rss>
        """;

    public const string Malformed = """
        <?xml version="1.0"?>
        <rss version="2.0"><channel><title>Broken</title><item><title>Unclosed</item></channel></rss>
        """;

    /// <summary>A document that is only the start of a feed, the rest never coming.</summary>
    public const string FeedStart = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Slow</title><item><title>First
        """;
}
