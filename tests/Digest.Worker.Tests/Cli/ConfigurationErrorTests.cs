namespace Digest.Worker.Tests.Cli;

public sealed class ConfigurationErrorTests
{
    [Fact]
    public async Task Status_FeedSourceWithAnIntervalThatIsNoDuration_StopsNamingTheKeyInsteadOfDroppingTheFeed()
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["status", "--Feeds:Sources:0:Interval=every hour"]);

        exit.ShouldBe(3);
        output.ShouldBeEmpty();
        errors.Trim().ShouldBe("Configuration error: Failed to convert configuration value 'every hour' at 'Feeds:Sources:0:Interval' to type 'System.TimeSpan'.");
    }

    [Theory]
    [InlineData("ftp://feeds.example/world.xml")]
    [InlineData("gopher://feeds.example/world")]
    public async Task Status_FeedSourceThatIsNoFeedAddress_StopsNamingTheKey(string url)
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["status", $"--Feeds:Sources:0:Url={url}"]);

        exit.ShouldBe(3);
        errors.Trim().ShouldBe($"Configuration error: Feeds:Sources:0:Url: '{url}' is not an http(s) URL, a file: URI or a path");
    }

    [Fact]
    public async Task Status_UnknownStorageProvider_NamesTheKeyOnce()
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["status", "--Storage:Provider=mysql"]);

        exit.ShouldBe(3);
        errors.Trim().ShouldBe("Configuration error: Storage:Provider: must be 'sqlite' or 'postgres'");
    }

    [Fact]
    public async Task Status_ConfigFolderWithoutAppsettings_OneLineNamingTheFolderAndExit3()
    {
        using var cli = new TestSupport.Cli();
        var folder = Path.Combine(cli.Directory, "no-config");

        var (exit, errors) = await StatusWithConfigAsync(cli, folder);

        exit.ShouldBe(3);
        errors.ShouldHaveSingleItem().ShouldStartWith($"Configuration error: no appsettings.json in the config folder {folder} (DIGEST_CONFIG_DIR");
    }

    [Fact]
    public async Task Status_AppsettingsThatIsNotJson_OneLineSayingWhereInTheFile()
    {
        using var cli = new TestSupport.Cli();
        var folder = TestSupport.TestConfig.Create(cli.Directory);
        var settings = Path.Combine(folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, "{\n  \"Feeds\": {\n    \"Timeout\": \"00:00:15\",\n  \n", TestContext.Current.CancellationToken);

        var (exit, errors) = await StatusWithConfigAsync(cli, folder);

        exit.ShouldBe(3);
        var line = errors.ShouldHaveSingleItem();
        line.ShouldStartWith($"Configuration error: Failed to load configuration from file '{settings}'. Could not parse the JSON file.");
        line.ShouldContain("LineNumber: 4");
    }

    /// <summary>A real process: the config folder is read from the environment (DIGEST_CONFIG_DIR), which a test may not set in its own.</summary>
    private static async Task<(int Exit, IReadOnlyCollection<string> Errors)> StatusWithConfigAsync(TestSupport.Cli cli, string configFolder)
    {
        using var status = ScaleOut.WorkerProcess.Start(
            [$"--Storage:ConnectionString=Data Source={cli.Database}"], verb: "status", environment: new Dictionary<string, string> { ["DIGEST_CONFIG_DIR"] = configFolder });
        var exit = await status.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, status.Errors.ToList());
    }
}
