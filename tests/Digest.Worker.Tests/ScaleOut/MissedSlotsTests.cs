using Digest.Core.Classification;
using Digest.Core.Delivery;
using Digest.Core.Items;
using Digest.Core.Storage;
using Digest.Tests.Shared;
using Digest.Worker.Hosting;
using Digest.Worker.Jobs;
using Digest.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using Quartz.Impl;
using Quartz.Extensibility;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>
/// After the scheduler stalled (the database away, every thread busy), Quartz fires each slot that is late by less than
/// its misfire threshold, one after another, each with its own scheduled time — as it does here, replayed with the
/// firings Quartz makes. A channel gets one digest for them, a feed one poll.
/// </summary>
public sealed class MissedSlotsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);
    private const string Schedule = "0/10 * * * * ?";

    private readonly TestSupport.Cli files = new();
    private readonly FakeTimeProvider clock = new(T0);
    private readonly StringWriter console = new();
    private IHost? host;
    private FeedServer? feeds;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IHost Host => host!;

    private IDigestStore Store => Host.Services.GetRequiredService<IDigestStore>();

    public async ValueTask InitializeAsync()
    {
        feeds = await FeedServer.StartAsync();
        host = DigestHost.Build(
            HostMode.Tool,
            [$"--Storage:ConnectionString=Data Source={files.Database}", "--Feeds:AllowPrivateAddresses=true", "--Summarization:FullText:Enabled=false"],
            console,
            "text",
            configDirectory: TestConfig.Create(files.Directory),
            overrides: services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddQuartz(q => q.UseInMemoryStore());
            });
        await Host.StartAsync(Ct);
        await Store.MigrateAsync(Ct);
    }

    /// <summary>The firing Quartz makes of a trigger's <paramref name="slot"/> at the clock's now, whose next slot is <paramref name="next"/>.</summary>
    private async Task FireAsync(IJob job, JobKey key, string dataKey, long id, DateTimeOffset slot, DateTimeOffset next)
    {
        var detail = JobBuilder.Create().OfType(job.GetType()).WithIdentity(key).UsingJobData(dataKey, id).Build();
        var trigger = (IOperableTrigger)TriggerBuilder.Create().WithIdentity(key.Name, key.Group).ForJob(detail).WithCronSchedule(Schedule).StartAt(T0).Build();
        var scheduler = await Host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        var bundle = new TriggerFiredBundle
        {
            JobDetail = detail,
            Trigger = trigger,
            Recovering = false,
            FireTimeUtc = clock.GetUtcNow(),
            ScheduledFireTimeUtc = slot,
            PreviousFireTimeUtc = slot - Every,
            NextFireTimeUtc = next,
        };
        await job.Execute(new JobExecutionContextImpl(scheduler, bundle, job, null!), Ct);
    }

    private async Task<long> ChannelWithAStoryAsync()
    {
        var channel = await Store.EnsureChannelAsync(ConsolePublisher.PlatformName, "stdout", null, Schedule, "UTC", Ct);
        var feed = await Store.UpsertFeedAsync("https://wire.example/feed", "Wire", "Wire", TimeSpan.FromMinutes(15), Ct);
        var item = (await Store.AddItemsAsync(feed.Id, [new Item("a", "Envoys meet in Geneva on the peace plan", "https://wire.example/a", "", null, T0)], false, T0, Ct)).Single();
        await StorySeeds.StoryAsync(Store, [item with { Relevance = new Relevance(true, 0.9, [], []) }], T0, Ct);
        return channel.Id;
    }

    private int DigestsPrinted => console.ToString().Split("Digest — ").Length - 1;

    [Fact]
    public async Task ChannelDigest_SixSlotsMissedThenFiredBackToBack_OneDigestWithTheStory()
    {
        var channelId = await ChannelWithAStoryAsync();
        var job = ActivatorUtilities.CreateInstance<ChannelDigestJob>(Host.Services);

        // The scheduler stalled from 12:00:05 to 12:00:63: slots 12:00:10 … 12:01:00 are all late, by less than 60 s.
        clock.SetUtcNow(T0.AddSeconds(63));
        for (var k = 1; k <= 6; k++)
        {
            await FireAsync(job, DigestScheduler.ChannelJob(channelId), "channelId", channelId, T0 + (k * Every), T0 + ((k + 1) * Every));
        }

        DigestsPrinted.ShouldBe(1, console.ToString());
        console.ToString().ShouldContain("Envoys meet in Geneva");
        (await Store.GetPendingAsync(null, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ChannelDigest_SlotsFiredOnTime_OneDigestEach()
    {
        var channelId = await ChannelWithAStoryAsync();
        var job = ActivatorUtilities.CreateInstance<ChannelDigestJob>(Host.Services);

        for (var k = 1; k <= 3; k++)
        {
            clock.SetUtcNow(T0 + (k * Every) + TimeSpan.FromMilliseconds(20));
            await FireAsync(job, DigestScheduler.ChannelJob(channelId), "channelId", channelId, T0 + (k * Every), T0 + ((k + 1) * Every));
        }

        DigestsPrinted.ShouldBe(3, console.ToString());
        console.ToString().Split("Envoys meet in Geneva").Length.ShouldBe(2, "the story is in the first digest only");
    }

    [Fact]
    public async Task PollFeed_FiveIntervalsMissedThenFiredBackToBack_OnePoll()
    {
        var url = feeds!.Serve("/wire.xml", """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Envoys meet in Geneva</title><link>https://wire.example/a</link><guid>a</guid></item></channel></rss>"""u8.ToArray(), "application/rss+xml");
        var feed = await Store.UpsertFeedAsync(url, "Wire", "Wire", Every, Ct);
        var job = ActivatorUtilities.CreateInstance<PollFeedJob>(Host.Services);

        clock.SetUtcNow(T0.AddSeconds(53));
        for (var k = 1; k <= 5; k++)
        {
            await FireAsync(job, DigestScheduler.FeedJob(feed.Id), "feedId", feed.Id, T0 + (k * Every), T0 + ((k + 1) * Every));
        }

        feeds.Requests.Count(r => r.Path == "/wire.xml").ShouldBe(1);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        if (feeds is not null)
        {
            await feeds.DisposeAsync();
        }

        files.Dispose();
    }
}
