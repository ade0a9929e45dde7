using Digest.Core.Storage;
using Digest.Worker.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using Quartz.Extensibility;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>Scheduling at startup, as every worker does: what another worker scheduled is kept unless its definition changed.</summary>
public sealed class DigestSchedulerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider clock = new(T0);
    private readonly ServiceProvider services;

    public DigestSchedulerTests()
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddQuartz(q => q.UseInMemoryStore());
        services = collection.BuildServiceProvider();
    }

    private static FeedRecord Feed(TimeSpan interval) =>
        new(7, "https://example.org/feed.xml", "Harbor Wire", interval, null, null, null, null, null, 0, null, null, false);

    private async Task<ITrigger> TriggerAsync(string name, string group)
    {
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        return (await scheduler.GetTrigger(new TriggerKey(name, group), TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task ScheduleFeed_SecondWorkerSameDefinition_KeepsTheFirstWorkersTrigger()
    {
        var first = new DigestScheduler(services.GetRequiredService<ISchedulerFactory>(), clock);
        await first.ScheduleFeedAsync(Feed(TimeSpan.FromMinutes(15)), TestContext.Current.CancellationToken);
        var scheduled = await TriggerAsync("feed-7", "feeds");

        clock.Advance(TimeSpan.FromMinutes(4));
        var second = new DigestScheduler(services.GetRequiredService<ISchedulerFactory>(), clock);
        await second.ScheduleFeedAsync(Feed(TimeSpan.FromMinutes(15)), TestContext.Current.CancellationToken);

        var kept = await TriggerAsync("feed-7", "feeds");
        kept.StartTimeUtc.ShouldBe(scheduled.StartTimeUtc);
        kept.NextFireTimeUtc.ShouldBe(scheduled.NextFireTimeUtc);
    }

    [Fact]
    public async Task ScheduleFeed_IntervalChanged_ReplacesTheTriggerUnderTheSameIdentity()
    {
        var scheduler = new DigestScheduler(services.GetRequiredService<ISchedulerFactory>(), clock);
        await scheduler.ScheduleFeedAsync(Feed(TimeSpan.FromMinutes(15)), TestContext.Current.CancellationToken);

        await scheduler.ScheduleFeedAsync(Feed(TimeSpan.FromMinutes(30)), TestContext.Current.CancellationToken);

        var trigger = (ICalendarIntervalTrigger)await TriggerAsync("feed-7", "feeds");
        (trigger.RepeatInterval, trigger.RepeatIntervalUnit).ShouldBe((1800, IntervalUnit.Second));
        var quartz = await services.GetRequiredService<ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);
        (await quartz.GetTriggersOfJob(DigestScheduler.FeedJob(7), TestContext.Current.CancellationToken)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task ScheduleFeed_PollMadeLate_TheNextStaysAtTheStartPlusWholeIntervals()
    {
        var scheduler = new DigestScheduler(services.GetRequiredService<ISchedulerFactory>(), clock);
        await scheduler.ScheduleFeedAsync(Feed(TimeSpan.FromMinutes(15)), TestContext.Current.CancellationToken);

        // Scheduled at T0 on the bot's clock, the trigger is long overdue on Quartz's: it fires now, once, and the poll
        // after it is due at T0 plus a whole number of intervals, not 15 minutes after this late one.
        var trigger = (IOperableTrigger)await TriggerAsync("feed-7", "feeds");
        trigger.UpdateAfterMisfire(null);
        trigger.Triggered(null);

        var next = trigger.NextFireTimeUtc.ShouldNotBeNull();
        next.ShouldBeGreaterThan(TimeProvider.System.GetUtcNow());
        ((next - T0).Ticks % TimeSpan.FromMinutes(15).Ticks).ShouldBe(0);
    }

    [Fact]
    public async Task ScheduleChannel_ScheduleChanged_ReplacesAndUnchangedKeeps()
    {
        var scheduler = new DigestScheduler(services.GetRequiredService<ISchedulerFactory>(), clock);
        var channel = new ChannelRecord(3, "console", "stdout", null, "0 0 * * * ?", "UTC", null, null);
        await scheduler.ScheduleChannelAsync(channel, TestContext.Current.CancellationToken);
        var first = await TriggerAsync("digest-3", "digests");

        await scheduler.ScheduleChannelAsync(channel, TestContext.Current.CancellationToken);
        var kept = await TriggerAsync("digest-3", "digests");
        await scheduler.ScheduleChannelAsync(channel with { Schedule = "0 30 * * * ?" }, TestContext.Current.CancellationToken);
        var replaced = (ICronTrigger)await TriggerAsync("digest-3", "digests");

        kept.StartTimeUtc.ShouldBe(first.StartTimeUtc);
        replaced.CronExpressionString.ShouldBe("0 30 * * * ?");
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();
}
