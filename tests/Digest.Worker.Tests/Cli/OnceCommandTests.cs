using System.Text.Json;
using Digest.Worker.Tests.TestSupport;

namespace Digest.Worker.Tests.Cli;

public sealed class OnceCommandTests
{
    private static readonly string[] SampleFiles = ["harbor-wire.xml", "eastern-ledger.atom.xml", "continental-desk.rdf", "metro-briefing.json"];

    private sealed record Served(FeedServer Server, string[] Urls) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private static async Task<Served> ServeSamplesAsync()
    {
        var server = await FeedServer.StartAsync();
        var urls = SampleFiles.Select(f => server.Serve("/" + f, File.ReadAllBytes(TestSupport.Cli.Sample(f)), f.EndsWith(".json", StringComparison.Ordinal) ? "application/feed+json" : "application/xml")).ToArray();
        return new Served(server, urls);
    }

    private static List<JsonElement> Stories(string json) => JsonDocument.Parse(json).RootElement.GetProperty("stories").EnumerateArray().ToList();

    [Fact]
    public async Task Once_SampleFeedsOverHttp_DigestHasTalksWithKeyLinesAndNothingElse()
    {
        await using var served = await ServeSamplesAsync();
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["once", "--format", "json", "--feeds", .. served.Urls]);

        exit.ShouldBe(0, errors);
        var stories = Stories(output);
        stories.ShouldNotBeEmpty();
        var titles = stories.Select(s => s.GetProperty("title").GetString()!).ToList();
        titles.ShouldContain(t => t.Contains("Miami", StringComparison.Ordinal));
        stories.ShouldAllBe(s => s.GetProperty("keyLines").GetArrayLength() > 0);
        titles.ShouldNotContain(t => t.Contains("Gaza", StringComparison.OrdinalIgnoreCase) || t.Contains("Thailand", StringComparison.OrdinalIgnoreCase)
            || t.Contains("soybean", StringComparison.OrdinalIgnoreCase) || t.Contains("snow", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The served samples as the operator's configured feeds (<c>Feeds:Sources</c>), which the store keeps.</summary>
    private static string[] Configured(Served served) => [.. served.Urls.Select((u, i) => $"--Feeds:Sources:{i}:Url={u}")];

    [Fact]
    public async Task Once_SecondCycle_Gets304sAndAddsNothing()
    {
        await using var served = await ServeSamplesAsync();
        using var cli = new TestSupport.Cli();
        var first = await cli.RunAsync(["once", "--format", "json", .. Configured(served)]);
        served.Server.Requests.Clear();

        var second = await cli.RunAsync(["once", "--format", "json", .. Configured(served)]);

        second.Exit.ShouldBe(0, second.Err);
        served.Server.Requests.Select(r => r.Status).ShouldAllBe(s => s == 304);
        served.Server.Requests.Count.ShouldBe(SampleFiles.Length);
        Stories(second.Out).Select(s => s.GetProperty("id").GetInt64()).ShouldBe(Stories(first.Out).Select(s => s.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Once_SameEventFromTwoOutlets_AppearsOnceWithBothSources()
    {
        await using var served = await ServeSamplesAsync();
        using var cli = new TestSupport.Cli();

        var (_, output, _) = await cli.RunAsync(["once", "--format", "json", "--feeds", .. served.Urls]);

        var stories = Stories(output);
        var geneva = stories.Where(s => s.GetProperty("title").GetString()!.Contains("Geneva", StringComparison.Ordinal)).ToList();
        geneva.Count.ShouldBe(1);
        geneva[0].GetProperty("sources").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Once_OneFeedBroken_ReportsItAndTheOthersStillMakeTheDigest()
    {
        await using var served = await ServeSamplesAsync();
        var broken = served.Server.Serve("/broken.xml", "<rss><channel><item><title>oops</channel>"u8.ToArray(), "application/xml");
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["once", "--format", "json", "--feeds", broken, .. served.Urls]);

        exit.ShouldBe(0);
        errors.ShouldContain("broken.xml");
        errors.ShouldContain("malformed XML");
        Stories(output).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Once_MissingFeedFile_OneLineOnStandardErrorForIt()
    {
        // A real process: the logs go to the process's standard error, beside the CLI's own lines.
        using var cli = new TestSupport.Cli();
        var missing = Path.Combine(cli.Directory, "gone.xml");
        using var once = ScaleOut.WorkerProcess.Start(
            ["--feeds", missing, TestSupport.Cli.Sample("harbor-wire.xml"), $"--Storage:ConnectionString=Data Source={cli.Database}", "--Digest:SentenceEmbeddings=false"], verb: "once");

        var exit = await once.WaitForExitAsync(TimeSpan.FromSeconds(90));

        exit.ShouldBe(0, string.Join('\n', once.Errors));
        once.Errors.ShouldHaveSingleItem().ShouldBe($"feed gone ({missing}): file not found: {missing}");
    }

    [Fact]
    public async Task Once_FormatText_PrintsNumberedStoriesWithSources()
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["once", "--feeds", TestSupport.Cli.Sample("harbor-wire.xml")]);

        exit.ShouldBe(0, errors);
        output.ShouldContain("1. ");
        output.ShouldContain("Sources: Harbor Wire");
    }

    [Fact]
    public async Task Once_SinceWindowBeforeEverything_SaysNothingNew()
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, _) = await cli.RunAsync(["once", "--since", "1h", "--feeds", TestSupport.Cli.Sample("harbor-wire.xml")]);

        exit.ShouldBe(0);
        output.ShouldContain("Nothing new about the story since");
    }

    [Theory]
    [InlineData("once", "--fromat", "unknown option --fromat (known: --format, --feeds, --since, --verbose)")]
    [InlineData("status", "--all", "unknown option --all (this verb takes none)")]
    [InlineData("run", "now", "unexpected 'now'")]
    public async Task Verb_MistypedOption_IsRefusedNotIgnored(string verb, string word, string message)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync([verb, word]);

        exit.ShouldBe(2);
        errors.ShouldContain(message);
    }

    [Theory]
    [InlineData("once --format", "--format needs a value")]
    [InlineData("once --since", "--since needs a value")]
    [InlineData("once --since --format json", "--since needs a value")]
    [InlineData("feeds check feed.xml --format", "--format needs a value")]
    public async Task Verb_OptionWithoutItsValue_IsRefusedNotTakenAsTheDefault(string words, string message)
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(words.Split(' '));

        exit.ShouldBe(2);
        output.ShouldBeEmpty();
        errors.Trim().ShouldBe(message);
    }

    [Fact]
    public async Task Once_SinceLongerThanACentury_EveryStory()
    {
        using var cli = new TestSupport.Cli();
        string[] sample = ["--feeds", TestSupport.Cli.Sample("harbor-wire.xml"), "--Digest:SentenceEmbeddings=false", "--format", "json"];

        var (exit, output, errors) = await cli.RunAsync(["once", .. sample, "--since", "1000000d"]);
        var (_, unlimited, _) = await cli.RunAsync(["once", .. sample]);

        exit.ShouldBe(0, errors);
        Stories(output).Select(s => s.GetProperty("title").GetString()).ShouldBe(Stories(unlimited).Select(s => s.GetProperty("title").GetString()));
        Stories(output).ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("--since", "soon", "--since takes a duration")]
    [InlineData("--since", "99999999d", "--since takes a duration")]
    [InlineData("--format", "xml", "--format must be text, markdown or json")]
    public async Task Once_BadArgument_ExitsWithASpecificMessage(string option, string value, string message)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["once", option, value]);

        exit.ShouldBe(2);
        errors.ShouldContain(message);
    }

    [Theory]
    [InlineData("--Feeds:Timeout=abc", "Feeds:Timeout")]
    [InlineData("--Feeds:Timeout=00:30:00", "Feeds:Timeout")]
    [InlineData("--Storage:Provider=oracle", "Storage:Provider")]
    [InlineData("--Digest:MaxStories=0", "Digest:MaxStories")]
    [InlineData("--Feeds:Sources:0:Url=", "Feeds:Sources:0:Url")]
    [InlineData("--Digest:TimeZone=Mars/Olympus", "Digest:TimeZone")]
    [InlineData("--Digest:ConsoleSchedule=every hour", "Digest:ConsoleSchedule")]
    public async Task Once_BadConfiguration_StopsNamingTheKey(string setting, string key)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["once", setting]);

        exit.ShouldBe(3);
        errors.ShouldContain("Configuration error");
        errors.ShouldContain(key);
    }

    [Fact]
    public async Task Once_WithFeeds_LeavesNoTrace_StatusDoesNotListThem()
    {
        await using var served = await ServeSamplesAsync();
        using var cli = new TestSupport.Cli();
        var typo = served.Server.BaseUrl + "/no-such-feed.xml";

        var once = await cli.RunAsync(["once", "--format", "json", "--feeds", served.Urls[0], typo]);
        var status = await cli.RunAsync(["status"]);

        once.Exit.ShouldBe(0, once.Err);
        Stories(once.Out).ShouldNotBeEmpty();
        once.Err.ShouldContain("no-such-feed.xml");
        status.Exit.ShouldBe(0, status.Err);
        status.Out.ShouldNotContain(served.Server.BaseUrl);
        status.Out.ShouldNotContain("no-such-feed.xml");
    }

    [Fact]
    public async Task Once_Markdown_EscapesOnlyMarkup()
    {
        await using var served = await ServeSamplesAsync();
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["once", "--format", "markdown", "--feeds", .. served.Urls]);

        exit.ShouldBe(0, errors);
        output.ShouldContain("### [");
        output.ShouldNotContain("\\.");
        output.ShouldNotContain("\\-");
    }
}
