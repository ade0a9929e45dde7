using Digest.Core.Feeds;
using Digest.Core.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Digest.Core.Tests.Feeds;

/// <summary>
/// Fetch → parse → normalize against a real local server. Each hostile feed is read alongside the good one through the
/// same fetcher: the hostile one must fail with its own reason and the good one must still give its items.
/// </summary>
public sealed class FeedFetcherTests(FeedServerFixture fixture) : IClassFixture<FeedServerFixture>
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/billion-laughs.xml", "refused: the document's DTD declares entities")]
    [InlineData("/external-entity.xml", "refused: the document's DTD declares an external entity")]
    [InlineData("/malformed.xml", "malformed XML")]
    [InlineData("/loop", "too many redirects (more than 5)")]
    public async Task Ingest_HostileFeed_FailsWithReason_GoodFeedStillParses(string path, string reason)
    {
        using var services = FetcherServices.Build();

        var (hostile, good) = await ReadBothAsync(services, fixture.Server.Url(path));

        hostile.Status.ShouldBe(FetchStatus.Failed);
        hostile.Error.ShouldNotBeNull().ShouldContain(reason);
        hostile.Items.ShouldBeEmpty();
        GoodFeedRead(good);
    }

    [Fact]
    public async Task Ingest_ExternalEntity_NeverShowsTheFile()
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, fixture.Server.Url("/external-entity.xml"));

        result.Error.ShouldNotBeNull().ShouldNotContain("root:");
        result.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fetch_50MegabyteBody_StopsAtTheCap_WithoutReadingItAll()
    {
        using var services = FetcherServices.Build();

        var (huge, good) = await ReadBothAsync(services, fixture.Server.Url("/huge.xml"));

        huge.Error.ShouldNotBeNull().ShouldContain("body too large: more than the limit of 5,242,880 bytes");
        GoodFeedRead(good);

        // The client hung up at the cap: the server never got the whole body out (socket buffers hold a few MB at most).
        var sent = await fixture.HugeBodySent.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"the server got {sent:N0} of {FeedServerFixture.HugeBodyBytes:N0} bytes out");
        sent.ShouldBeLessThan(FeedServerFixture.HugeBodyBytes / 2);
    }

    [Fact]
    public async Task Fetch_GzipBomb_StopsAtTheCapAfterDecompression()
    {
        using var services = FetcherServices.Build();

        var (bomb, good) = await ReadBothAsync(services, fixture.Server.Url("/bomb.xml"));

        FeedServerFixture.GzipBombCompressedLength.ShouldBeLessThan(5 * 1024 * 1024, "the bomb is small on the wire");
        bomb.Error.ShouldNotBeNull().ShouldContain("body too large: more than the limit of 5,242,880 bytes (counted after decompression)");
        GoodFeedRead(good);
    }

    [Fact]
    public async Task Fetch_ServerStallsMidBody_TimesOut()
    {
        using var services = FetcherServices.Build(settings: ("Timeout", "00:00:01"));

        // The good feed once first: on a loaded machine its first read (the fetch and parse paths compiled, a connection
        // opened) could itself take the 1 s this test gives the stalled one.
        GoodFeedRead(await ReadAsync(services, fixture.Server.Url("/good.xml")));
        var (stalled, good) = await ReadBothAsync(services, fixture.Server.Url("/stall.xml"));

        stalled.Status.ShouldBe(FetchStatus.Failed);
        stalled.Error.ShouldBe("timed out after 1 s");
        GoodFeedRead(good);
    }

    [Fact]
    public async Task Fetch_FiveRedirects_Followed()
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, fixture.Server.Url("/hops/4"));

        GoodFeedRead(result);
    }

    [Fact]
    public async Task Fetch_SixRedirects_TooMany()
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, fixture.Server.Url("/hops/5"));

        result.Error.ShouldBe("too many redirects (more than 5)");
    }

    [Theory]
    [InlineData("https://harborwire.example/world/1")]
    [InlineData("http://feeds.test/rss")]
    [InlineData("https://nowhere.invalid/")]
    public async Task Fetch_ReservedDomain_RefusedWithoutAskingDns(string url)
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, url);

        result.Error.ShouldNotBeNull().ShouldContain("reserved name that never resolves");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Fetch_CompressedBody_Decompressed(string encoding)
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, fixture.Server.Url("/compressed/" + encoding));

        GoodFeedRead(result);
    }

    [Fact]
    public async Task Fetch_SendsAnHonestUserAgent()
    {
        using var services = FetcherServices.Build();

        await ReadAsync(services, fixture.Server.Url("/good.xml"));

        fixture.LastUserAgent.ShouldNotBeNull().ShouldStartWith("DigestBot/");
        fixture.LastUserAgent.ShouldContain("+https://");
    }

    [Fact]
    public async Task Poll_SecondFetch_SendsValidators_Gets304_KeepsState()
    {
        using var services = FetcherServices.Build();
        var url = fixture.Server.Url("/conditional.xml");

        var first = await ReadAsync(services, url);
        var second = await FeedIngest.ReadAsync(
            services.GetRequiredService<FeedFetcher>(), new FetchRequest(url, first.ETag, first.LastModified), Time, Ct);

        GoodFeedRead(first);
        first.ETag.ShouldBe(FeedServerFixture.ETag);
        first.LastModified.ShouldBe(FeedServerFixture.LastModified.ToString("R"));
        fixture.LastIfNoneMatch.ShouldBe(FeedServerFixture.ETag);
        fixture.LastIfModifiedSince.ShouldBe(FeedServerFixture.LastModified.ToString("R"));
        second.Status.ShouldBe(FetchStatus.NotModified);
        second.ETag.ShouldBe(first.ETag);
        second.LastModified.ShouldBe(first.LastModified);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("localhost", "loopback")]
    public async Task Fetch_GuardOn_LoopbackRefusedBeforeAnyRequest(string host, string why)
    {
        using var services = FetcherServices.Build(allowPrivateAddresses: false);
        var url = new UriBuilder(fixture.Server.Url("/guarded")) { Host = host }.Uri.ToString();

        var result = await ReadAsync(services, url);

        result.Status.ShouldBe(FetchStatus.Failed);
        result.Error.ShouldNotBeNull().ShouldStartWith("refused: ");
        result.Error.ShouldContain($"({why})");
        fixture.GuardedHits.ShouldBe(0);
    }

    [Fact]
    public async Task Fetch_GuardOn_MetadataAddressRefusedWithoutConnecting()
    {
        using var services = FetcherServices.Build(allowPrivateAddresses: false);

        var result = await ReadAsync(services, "http://169.254.169.254/latest/meta-data/");

        result.Error.ShouldNotBeNull().ShouldStartWith("refused: 169.254.169.254 resolves to 169.254.169.254 (link-local or metadata)");
    }

    [Fact]
    public async Task Fetch_ConfigFeedByRelativePath_ReadsTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("digest-feeds-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "harbour.xml"), SampleFeeds.GoodRss, Ct);
            using var services = FetcherServices.Build(allowPrivateAddresses: false, configDirectory: folder.FullName);

            var byPath = await ReadAsync(services, "harbour.xml");
            var byUri = await ReadAsync(services, new Uri(Path.Combine(folder.FullName, "harbour.xml")).AbsoluteUri);
            var missing = await ReadAsync(services, new Uri(Path.Combine(folder.FullName, "absent.xml")).AbsoluteUri);

            byPath.Items.Count.ShouldBe(2);
            byUri.Items.Count.ShouldBe(2);
            missing.Error.ShouldNotBeNull().ShouldStartWith("file not found");
            (await ReadAsync(services, folder.FullName)).Error.ShouldBe($"{folder.FullName} is a folder, not a feed file");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Fetch_NotAUrl_SaysSo()
    {
        using var services = FetcherServices.Build();

        var result = await ReadAsync(services, "ftp://example.org/feed.xml");

        result.Error.ShouldNotBeNull().ShouldContain("is not an http(s) URL");
    }

    private static void GoodFeedRead(IngestResult good)
    {
        good.Error.ShouldBeNull();
        good.Status.ShouldBe(FetchStatus.Ok);
        good.Title.ShouldBe("Harbour Gazette");
        good.Items.Select(i => i.Title).ShouldBe(["Ferry timetable changes for winter", "Lighthouse reopens to visitors"]);
        good.Items[0].Url.ShouldBe("https://gazette.example.org/ferry");
    }

    private static Task<IngestResult> ReadAsync(ServiceProvider services, string url) =>
        FeedIngest.ReadAsync(services.GetRequiredService<FeedFetcher>(), new FetchRequest(url), Time, Ct);

    /// <summary>The hostile feed and the good one at the same time, through fetchers from the same container.</summary>
    private async Task<(IngestResult Hostile, IngestResult Good)> ReadBothAsync(ServiceProvider services, string hostileUrl)
    {
        var hostile = ReadAsync(services, hostileUrl);
        var good = ReadAsync(services, fixture.Server.Url("/good.xml"));
        return (await hostile, await good);
    }
}
