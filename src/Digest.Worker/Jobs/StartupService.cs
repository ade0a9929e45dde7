using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Jobs;

/// <summary>
/// Brings the bot up and nothing more: migrates the store, syncs the configured feeds, ensures the console channel and
/// schedules every feed and channel. What a crash or Ctrl-C left half-done is not its business: the stages' loops
/// (<see cref="PipelineService"/>) and every worker's <see cref="DeliveryDispatcher"/> find it while polls, commands
/// and schedules go on.
/// </summary>
internal sealed partial class StartupService(
    IDigestStore database,
    IFeedStore feedStore,
    IDeliveryStore deliveryStore,
    FeedCatalog catalog,
    DigestScheduler scheduler,
    Schedules schedules,
    IOptions<DigestOptions> digestOptions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<StartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        var feeds = await catalog.SyncAsync(null, cancellationToken);
        var (consoleSchedule, consoleZone) = (digestOptions.Value.ConsoleSchedule, digestOptions.Value.TimeZone);
        var console = await deliveryStore.EnsureChannelAsync(ConsolePublisher.PlatformName, "stdout", null, consoleSchedule, consoleZone, cancellationToken);
        await deliveryStore.SetChannelScheduleAsync(console.Id, consoleSchedule, consoleZone, cancellationToken);

        foreach (var feed in await feedStore.GetFeedsAsync(cancellationToken))
        {
            await scheduler.ScheduleFeedAsync(feed, cancellationToken);
        }

        foreach (var channel in await deliveryStore.GetChannelsAsync(cancellationToken))
        {
            await scheduler.ScheduleChannelAsync(channel, cancellationToken);
        }

        await scheduler.RetireOutboxSweepAsync(cancellationToken);
        // The configured schedule, not the record read before it was set: a changed Digest:ConsoleSchedule counts at once.
        var nextDigest = schedules.Next(consoleSchedule, consoleZone, time.GetUtcNow());

        // Said once everything is up, the web server bound included: a port in use ends the start, and an operator (or a
        // service manager reading the log) must not see "started" just before the error.
        lifetime.ApplicationStarted.Register(() => LogStarted(logger, feeds.Count, nextDigest));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest started: {Feeds} configured feeds polling; the console's next digest is at {NextDigest:yyyy-MM-dd HH:mm:ss} UTC (Digest:ConsoleSchedule)")]
    private static partial void LogStarted(ILogger logger, int feeds, DateTimeOffset? nextDigest);
}
