using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Digest.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Tests.Hosting;

/// <summary>The long-running bot, in-process: Quartz polls the feeds and posts the console channel's digests.</summary>
public sealed class RunModeTests : IDisposable
{
    private readonly TestSupport.Cli files = new();

    private IHost BuildBot(WatchedWriter output, string[] feeds, params string[] extra) => DigestHost.Build(
        HostMode.Bot,
        [$"--Storage:ConnectionString=Data Source={files.Database}", "--Digest:ConsoleSchedule=* * * * * ?", .. extra],
        output,
        "text",
        configDirectory: TestConfig.Create(files.Directory, feeds));

    private static readonly string[] TwoSamples = [TestSupport.Cli.Sample("harbor-wire.xml"), TestSupport.Cli.Sample("metro-briefing.json")];

    [Fact]
    public async Task Run_FreshStart_PollsAtOnceAndPostsTheFirstDigestWithStories()
    {
        var output = new WatchedWriter();
        using var host = BuildBot(output, TwoSamples);

        await host.StartAsync(TestContext.Current.CancellationToken);
        await output.WaitForAsync(o => o.Contains("Miami", StringComparison.Ordinal));
        await host.StopAsync(TestContext.Current.CancellationToken);

        var store = host.Services.GetRequiredService<IDigestStore>();
        (await store.GetPendingAsync(null, 10, TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await store.GetFeedsAsync(TestContext.Current.CancellationToken)).ShouldAllBe(f => f.LastSuccessAt != null);
    }

    [Fact]
    public async Task Run_AfterACrash_ProcessesStoredItemsAndSendsTheUnacknowledgedDigestOnce()
    {
        // The state a crash leaves: items stored but never processed, a digest recorded but never acknowledged. Nothing
        // at startup waits for them: the stages' loops and the outbox sweep pick them up.
        var setup = new WatchedWriter();
        using (var first = BuildBot(setup, [], "--Digest:ConsoleSchedule=0 0 0 1 1 ? 2099"))
        {
            var store = first.Services.GetRequiredService<IDigestStore>();
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            var feed = await store.UpsertFeedAsync("https://wire.example/feed", "Wire", "Wire", TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
            await store.AddItemsAsync(
                feed.Id,
                [new Item("g:1", "Witkoff and Umerov discuss security guarantees for Ukraine in Miami peace talks", "https://wire.example/1", "Talks on the 20-point peace plan.", null, DateTimeOffset.Parse("2025-12-20T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture))],
                isBacklog: false,
                DateTimeOffset.Parse("2025-12-20T10:05:00Z", System.Globalization.CultureInfo.InvariantCulture),
                TestContext.Current.CancellationToken);
            var channel = await store.EnsureChannelAsync(ConsolePublisher.PlatformName, "stdout", null, "0 0 0 1 1 ? 2099", "UTC", TestContext.Current.CancellationToken);
            var pending = OutboxPayload.ForText("a digest recorded before the crash").Serialize();
            await store.EnqueueAsync(channel.Id, OutboxPayload.TextKind, "crash-test", pending, DateTimeOffset.Parse("2025-12-20T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
        }

        var output = new WatchedWriter();
        using var host = BuildBot(output, [], "--Digest:ConsoleSchedule=0 0 0 1 1 ? 2099");
        await host.StartAsync(TestContext.Current.CancellationToken);
        await output.WaitForAsync(o => o.Contains("recorded before the crash", StringComparison.Ordinal));
        var after = host.Services.GetRequiredService<IDigestStore>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!(await after.GetBacklogAsync(timeout.Token)).IsEmpty)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }

        await host.StopAsync(TestContext.Current.CancellationToken);
        (await after.GetPendingAsync(null, 10, TestContext.Current.CancellationToken)).ShouldBeEmpty();
        output.ToString().Split("recorded before the crash").Length.ShouldBe(2);
        var stories = await after.GetStoriesAsync(new StoryQuery(10), TestContext.Current.CancellationToken);
        stories.ShouldContain(s => s.Title.Contains("Miami", StringComparison.Ordinal));
    }

    public void Dispose() => files.Dispose();
}
