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

    [Fact]
    public async Task Status_UnknownStorageProvider_NamesTheKeyOnce()
    {
        using var cli = new TestSupport.Cli();

        var (exit, _, errors) = await cli.RunAsync(["status", "--Storage:Provider=mysql"]);

        exit.ShouldBe(3);
        errors.Trim().ShouldBe("Configuration error: Storage:Provider: must be 'sqlite' or 'postgres'");
    }
}
