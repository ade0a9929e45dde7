using System.Text;
using System.Text.Json;
using Digest.Worker.Tests.TestSupport;

namespace Digest.Worker.Tests.Cli;

public sealed class FeedsVerbTests
{
    private const string Feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Lake Courier</title><link>https://courier.example/</link>
          <item><title>Ferry runs again</title><link>/news/ferry</link><guid>c-1</guid><pubDate>Mon, 03 Mar 2025 08:15:00 GMT</pubDate></item>
          <item><title>Pier closed</title><link>https://courier.example/news/pier</link><guid>c-2</guid></item>
        </channel></rss>
        """;

    private const string Page = """
        <!doctype html><html><head><title>Courier</title>
        <link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><p>Home</p></body></html>
        """;

    [Fact]
    public async Task Check_Feed_Json_HasTheFieldsAModeratorNeeds()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["feeds", "check", url, "--format", "json"]);

        exit.ShouldBe(0, errors);
        var root = JsonDocument.Parse(output).RootElement;
        root.GetProperty("title").GetString().ShouldBe("Lake Courier");
        root.GetProperty("format").GetString().ShouldBe("RSS 2.0");
        root.GetProperty("encoding").GetString().ShouldBe("utf-8");
        var items = root.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("title").GetString()).ShouldBe(["Ferry runs again", "Pier closed"]);
        items[0].GetProperty("url").GetString().ShouldBe("https://courier.example/news/ferry");
        items[0].GetProperty("published").GetString().ShouldBe("2025-03-03T08:15:00Z");
        items[1].GetProperty("published").ValueKind.ShouldBe(JsonValueKind.Null);
        var warnings = root.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        warnings.ShouldContain("1 relative links resolved against https://courier.example/");
        warnings.ShouldContain("1 of 2 entries have no date (they are dated when first seen)");
    }

    [Fact]
    public async Task Check_WebPage_FollowsItsAdvertisedFeedAndSaysSo()
    {
        await using var server = await FeedServer.StartAsync();
        server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        var page = server.Serve("/", Encoding.UTF8.GetBytes(Page), "text/html; charset=utf-8");
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["feeds", "check", page]);

        exit.ShouldBe(0, errors);
        output.ShouldStartWith("Lake Courier");
        output.ShouldContain($"warning: discovered from the web page {page}");
        output.ShouldContain($"{server.BaseUrl}/feed.xml");
    }

    [Fact]
    public async Task Once_WebPageAsAFeed_ReadsTheFeedItAdvertises()
    {
        await using var server = await FeedServer.StartAsync();
        server.Serve("/feed.xml", Encoding.UTF8.GetBytes(Feed), "application/rss+xml");
        var page = server.Serve("/", Encoding.UTF8.GetBytes(Page), "text/html");
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["once", "--feeds", page]);

        exit.ShouldBe(0, errors);
        errors.ShouldNotContain("malformed");
        server.Requests.Select(r => r.Path).ShouldContain("/feed.xml");
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-7\"?><rss version=\"2.0\"><channel><title>x</title></channel></rss>", "application/rss+xml", "unsupported encoding utf-7")]
    [InlineData("<rss version=\"2.0\"><channel><title>x</title></channel></rss>", "application/rss+xml; charset=utf-7", "unsupported encoding utf-7")]
    [InlineData("<html><body>no feed here</body></html>", "text/html", "a web page that advertises no feed")]
    public async Task Check_Unreadable_ExitsOneWithOneLineReason(string body, string contentType, string reason)
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/bad", Encoding.UTF8.GetBytes(body), contentType);
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["feeds", "check", url]);

        exit.ShouldBe(1);
        output.ShouldBeEmpty();
        errors.TrimEnd().ShouldNotContain('\n');
        errors.ShouldContain(reason);
    }

    [Fact]
    public async Task Check_HundredThousandDeepFeed_RefusedNamingTheLimit()
    {
        var deep = "<rss version=\"2.0\"><channel><title>Deep</title>" + string.Concat(Enumerable.Repeat("<x>", 100_000)) + string.Concat(Enumerable.Repeat("</x>", 100_000)) + "</channel></rss>";
        var path = Path.Combine(Path.GetTempPath(), $"deep-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(path, deep, TestContext.Current.CancellationToken);
        try
        {
            using var cli = new TestSupport.Cli();

            var (exit, _, errors) = await cli.RunAsync(["feeds", "check", path]);

            exit.ShouldBe(1);
            errors.ShouldContain("element nesting deeper than 256");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Check_CredentialsInTheUrl_NeverEchoed()
    {
        await using var server = await FeedServer.StartAsync();
        var url = server.Serve("/private.xml", Encoding.UTF8.GetBytes("not a feed at all"), "text/plain").Replace("http://", "http://reader:hunter2@", StringComparison.Ordinal);
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["feeds", "check", url]);

        exit.ShouldBe(1);
        (output + errors).ShouldNotContain("hunter2");
        errors.ShouldContain("http://***@127.0.0.1");
    }

    [Fact]
    public async Task Check_NoAddress_UsageExitTwo()
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["feeds", "check"]);

        exit.ShouldBe(2);
        errors.ShouldContain("digest feeds check <url-or-path>");
    }
}
