using Digest.Core.Classification;
using Digest.Core.Feeds;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Core.Summarization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Summarization;

public sealed class ArticleTextFetcherTests : IAsyncLifetime
{
    private const string Teaser = "Delegations met in Geneva on Sunday.";

    private const string ArticlePage = """
        <!DOCTYPE html>
        <html><head><title>Geneva talks end with a draft | Example News</title></head>
        <body>
          <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
          <article>
            <h1>Geneva talks end with a draft</h1>
            <p>Delegations from the United States and Ukraine met in Geneva on Sunday and agreed on an updated draft of the
            peace framework, officials on both sides said after more than ten hours of talks.</p>
            <p>"We have made real progress on the most sensitive points," said Rustem Umerov, who led the Ukrainian team. He
            added that security guarantees remained the hardest question and that his team would report to Kyiv on Monday.</p>
            <p>The draft has been cut from 28 points to 19, according to two people familiar with the text. The remaining
            points cover a ceasefire line, the future of the Zaporizhzhia nuclear plant and the size of Ukraine's army.</p>
            <p>Kremlin spokesman Dmitry Peskov said Moscow had not yet received the new text and would not comment on
            reports about its content. Talks are expected to continue later in the week.</p>
          </article>
          <footer>Copyright Example News. All rights reserved.</footer>
        </body></html>
        """;

    /// <summary>An article buried under 100,000 nested divs: a tree builder's worst case.</summary>
    private static readonly Lazy<string> DeepPage = new(() => "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000))
        + "<p>Delegations from the United States and Ukraine met in Geneva on Sunday and agreed on an updated draft.</p>"
        + string.Concat(Enumerable.Repeat("</div>", 100_000)) + "</body></html>");

    private LocalServer server = null!;
    private int articleRequests;

    public async ValueTask InitializeAsync()
    {
        server = await LocalServer.StartAsync(app =>
        {
            app.MapGet("/world/geneva-talks", () =>
            {
                Interlocked.Increment(ref articleRequests);
                return Results.Content(ArticlePage, "text/html; charset=utf-8");
            });
            app.MapGet("/world/broken", () => Results.StatusCode(500));
            app.MapGet("/world/deep", () => Results.Content(DeepPage.Value, "text/html"));
            app.MapGet("/world/empty", () => Results.Content("<html><body><p>Subscribe.</p></body></html>", "text/html"));
        });
    }

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task GetSource_TeaserFromRelevantItem_UsesTheArticleText()
    {
        using var fetcher = CreateFetcher();

        var source = await fetcher.GetSourceAsync(Item(server.Url("/world/geneva-talks")), TestContext.Current.CancellationToken);

        source.Text.ShouldContain("agreed on an updated draft of the peace framework");
        source.Text.ShouldContain("Kremlin spokesman Dmitry Peskov");
        source.Text.ShouldNotContain("All rights reserved");
        source.Text.Split('\n').Length.ShouldBe(4); // the four paragraphs, one a line (the heading repeats the title)
    }

    [Fact]
    public async Task GetSource_ArticleText_GivesKeyLinesWithSpeakers()
    {
        using var fetcher = CreateFetcher();
        var source = await fetcher.GetSourceAsync(Item(server.Url("/world/geneva-talks")), TestContext.Current.CancellationToken);

        var lines = await new ExtractiveKeyLines().ExtractAsync([source], 3, TestContext.Current.CancellationToken);

        lines.ShouldContain(l => l.Text.StartsWith("Delegations from the United States and Ukraine met in Geneva", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Speaker == "Rustem Umerov" || l.Speaker == "Dmitry Peskov");
    }

    [Fact]
    public async Task GetSource_SameArticleTwice_FetchesItOnce()
    {
        using var fetcher = CreateFetcher();
        var item = Item(server.Url("/world/geneva-talks"));

        await fetcher.GetSourcesAsync([item], TestContext.Current.CancellationToken);
        await fetcher.GetSourcesAsync([item], TestContext.Current.CancellationToken);

        articleRequests.ShouldBe(1);
    }

    [Fact]
    public async Task GetSource_HundredThousandNestedDivs_RefusedBeforeExtraction_FeedTextKept()
    {
        using var fetcher = CreateFetcher();

        var source = await fetcher.GetSourceAsync(Item(server.Url("/world/deep")), TestContext.Current.CancellationToken);

        source.Text.ShouldBe(Teaser);
    }

    [Fact]
    public void Screen_OrdinaryPageWithUnclosedParagraphs_Passes_DeepOrHugeOnesNamed()
    {
        var ordinary = "<html><body><article>" + string.Concat(Enumerable.Repeat("<p>A line.<li>item", 2000)) + "</article></body></html>";

        HtmlScreen.Check(ordinary, 512, 100_000, TestContext.Current.CancellationToken).ShouldBeNull();
        HtmlScreen.Check(DeepPage.Value, 512, 1_000_000, TestContext.Current.CancellationToken).ShouldBe("page nests elements deeper than 512");
        HtmlScreen.Check(string.Concat(Enumerable.Repeat("<div>x</div>", 60_000)), 512, 50_000, TestContext.Current.CancellationToken).ShouldBe("page has more than 50,000 elements");
    }

    [Fact]
    public async Task GetSource_Shutdown_Honoured()
    {
        using var fetcher = CreateFetcher();
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => fetcher.GetSourceAsync(Item(server.Url("/world/deep")), shutdown.Token));
    }

    [Theory]
    [InlineData("/world/broken")]
    [InlineData("/world/empty")]
    [InlineData("/world/missing")]
    public async Task GetSource_PageFailsOrHasNoArticle_FallsBackToFeedText(string path)
    {
        using var fetcher = CreateFetcher();

        var source = await fetcher.GetSourceAsync(Item(server.Url(path)), TestContext.Current.CancellationToken);

        source.Text.ShouldBe(Teaser);
    }

    [Fact]
    public async Task GetSource_PrivateAddressWithoutPermission_IsRefusedAndFallsBack()
    {
        using var fetcher = CreateFetcher(allowPrivate: false);

        var source = await fetcher.GetSourceAsync(Item(server.Url("/world/geneva-talks")), TestContext.Current.CancellationToken);

        source.Text.ShouldBe(Teaser);
        articleRequests.ShouldBe(0);
    }

    [Fact]
    public async Task GetSource_IrrelevantItemOrExcludedFeedOrFileLink_IsNotFetched()
    {
        using var fetcher = CreateFetcher(configure: o => o.FullText.ExcludeFeeds = ["Wire"]);
        var url = server.Url("/world/geneva-talks");

        var irrelevant = await fetcher.GetSourceAsync(Item(url) with { Relevance = new Relevance(false, 0.1, [], []) }, TestContext.Current.CancellationToken);
        var excluded = await fetcher.GetSourceAsync(Item(url) with { FeedName = "wire" }, TestContext.Current.CancellationToken);
        var local = await fetcher.GetSourceAsync(Item("file:///etc/hostname"), TestContext.Current.CancellationToken);

        new[] { irrelevant, excluded, local }.ShouldAllBe(s => s.Text == Teaser);
        articleRequests.ShouldBe(0);
    }

    [Fact]
    public async Task GetSource_FeedCarriesFullText_IsNotFetched()
    {
        using var fetcher = CreateFetcher(configure: o => o.FullText.TeaserChars = 10);

        var source = await fetcher.GetSourceAsync(Item(server.Url("/world/geneva-talks")), TestContext.Current.CancellationToken);

        source.Text.ShouldBe(Teaser);
        articleRequests.ShouldBe(0);
    }

    private static StoredItem Item(string url) => new(
        1,
        1,
        "Example News",
        new Item("k1", "Geneva talks end with a draft", url, Teaser, null, new DateTimeOffset(2025, 11, 23, 18, 0, 0, TimeSpan.Zero)),
        new DateTimeOffset(2025, 11, 23, 18, 5, 0, TimeSpan.Zero),
        false,
        new Relevance(true, 0.9, ["talks"], []),
        7);

    private static ArticleTextFetcher CreateFetcher(bool allowPrivate = true, Action<SummarizationOptions>? configure = null)
    {
        var provider = FetcherServices.Build(allowPrivate, null, ("Timeout", "00:00:10"));
        var summarization = new SummarizationOptions();
        configure?.Invoke(summarization);
        return new ArticleTextFetcher(provider.GetRequiredService<FeedFetcher>(), Options.Create(summarization), NullLogger<ArticleTextFetcher>.Instance);
    }
}
