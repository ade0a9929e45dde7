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

    [Fact]
    public async Task Status_NoDatabaseFile_SaysSoAndCreatesNone()
    {
        using var cli = new TestSupport.Cli();

        var (exit, output, errors) = await cli.RunAsync(["status"]);

        exit.ShouldBe(0, errors);
        output.Trim().ShouldBe($"No database at {cli.Database}: `digest once` or `digest run` creates it; is Storage:ConnectionString the bot's?");
        File.Exists(cli.Database).ShouldBeFalse();
    }

    [Fact]
    public async Task Status_MessagesFailingAndSetAside_ShownWithTheirChannelAndWhy()
    {
        using var cli = new TestSupport.Cli();
        var ct = TestContext.Current.CancellationToken;
        var at = new DateTimeOffset(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
        var store = new Digest.Storage.Sqlite.SqliteStore($"Data Source={cli.Database}");
        await store.MigrateAsync(ct);
        var channel = await store.EnsureChannelAsync("telegram", "-1001234", "telegram:-1001234", "0 0 8 * * ?", "UTC", ct);
        await store.EnqueueAsync(channel.Id, "digest", "digest:1", "{}", at, ct);
        await store.EnqueueAsync(channel.Id, "alert", "alert:1", "{}", at, ct);
        var doomed = await store.ClaimNextAsync(channel.Id, "worker", TimeSpan.FromMinutes(1), at, ct);
        await store.SetAsideAsync(doomed!.Id, "gave up after 12 attempts: 500: Internal Server Error", at.AddHours(2), ct);
        var failing = await store.ClaimNextAsync(channel.Id, "worker", TimeSpan.FromMinutes(1), at, ct);
        await store.MarkFailedAsync(failing!.Id, "429: Too Many Requests: retry after 20", at.AddMinutes(3), ct);

        var (exit, output, _) = await cli.RunAsync(["status"]);

        exit.ShouldBe(0);
        output.ShouldContain("waiting to send: 1   next attempt: 2025-12-22 12:03 UTC   last error: 429: Too Many Requests: retry after 20");
        output.ShouldContain("Set aside (1, latest first)");
        output.ShouldContain($"#{doomed.Id} digest to telegram -1001234   queued 2025-12-22 12:00 UTC   set aside 2025-12-22 14:00 UTC   gave up after 12 attempts: 500: Internal Server Error");
    }

    [Fact]
    public async Task Status_ShowsWhoHoldsEachLease()
    {
        using var cli = new TestSupport.Cli();
        var store = new Digest.Storage.Sqlite.SqliteStore($"Data Source={cli.Database}");
        await store.MigrateAsync(TestContext.Current.CancellationToken);
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
