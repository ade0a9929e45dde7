using Digest.Worker.Tests.TestSupport;

namespace Digest.Worker.Tests.Cli;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_AfterOnce_ListsEachFeedWithLastSuccessErrorAndNextPoll()
    {
        using var cli = new TestSupport.Cli();
        await cli.RunAsync(["once", $"--Feeds:Sources:0:Url={TestSupport.Cli.Sample("harbor-wire.xml")}", "--Feeds:Sources:1:Url=missing-feed.xml"]);

        var (exit, output, _) = await cli.RunAsync(["status"]);

        exit.ShouldBe(0);
        output.ShouldContain("harbor-wire.xml");
        output.ShouldContain("missing-feed.xml");
        output.ShouldContain("last success: never");
        output.ShouldContain("failing (1x)");
        output.ShouldContain("next poll:");
    }
}
