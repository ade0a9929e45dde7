using Digest.Worker.Tests.TestSupport;

namespace Digest.Worker.Tests.Cli;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_AfterOnce_ListsEachFeedWithLastSuccessErrorAndNextPoll()
    {
        using var cli = new TestSupport.Cli();
        await cli.RunAsync(["once", "--feeds", TestSupport.Cli.Sample("harbor-wire.xml"), "missing-feed.xml"]);

        var (exit, output, _) = await cli.RunAsync(["status"]);

        exit.ShouldBe(0);
        output.ShouldContain("harbor-wire.xml");
        output.ShouldContain("missing-feed.xml");
        output.ShouldContain("last success: never");
        output.ShouldContain("failing (1x)");
        output.ShouldContain("next poll:");
    }

    [Fact]
    public async Task Status_ShowsWhoHoldsEachLease()
    {
        using var cli = new TestSupport.Cli();
        await cli.RunAsync(["once", "--feeds", TestSupport.Cli.Sample("harbor-wire.xml")]);
        var store = new Digest.Storage.Sqlite.SqliteStore($"Data Source={cli.Database}");
        var now = TimeProvider.System.GetUtcNow();
        (await store.TryAcquireLeaseAsync("telegram", "worker-a:41:x", TimeSpan.FromMinutes(5), now, TestContext.Current.CancellationToken)).ShouldBeTrue();
        (await store.TryAcquireLeaseAsync("discord", "worker-b:42:y", TimeSpan.FromMinutes(5), now - TimeSpan.FromHours(1), TestContext.Current.CancellationToken)).ShouldBeTrue();

        var (exit, output, _) = await cli.RunAsync(["status"]);

        exit.ShouldBe(0);
        output.ShouldContain("Leases (2)");
        output.ShouldContain("telegram  held by worker-a:41:x   until");
        output.ShouldContain("discord  held by worker-b:42:y   expired");
    }
}
