using Digest.Core.Delivery;
using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Jobs;

/// <summary>
/// Brings the bot up: migrates the store, syncs the configured feeds, schedules every feed and channel, finishes what a
/// crash or Ctrl-C left half-done (items stored but not classified, messages recorded but not acknowledged).
/// </summary>
internal sealed partial class StartupService(
    IDigestStore database,
    IFeedStore feedStore,
    IItemStore itemStore,
    IDeliveryStore deliveryStore,
    ILeaseStore leaseStore,
    FeedCatalog catalog,
    DigestScheduler scheduler,
    ItemPipeline pipeline,
    DigestDelivery delivery,
    IOptions<DigestOptions> digestOptions,
    IOptions<Digest.Storage.StorageOptions> storage,
    TimeProvider time,
    ILogger<StartupService> logger) : IHostedService
{
    /// <summary>
    /// With several workers (PostgreSQL), unclassified items younger than this are still in a live worker's pipeline and
    /// older ones were left by a crash. A single worker (SQLite) finishes them all: nobody else is working on them.
    /// </summary>
    internal static readonly TimeSpan LeftBehindAfter = TimeSpan.FromMinutes(2);

    private readonly string worker = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        var feeds = await catalog.SyncAsync(null, cancellationToken);
        var console = await deliveryStore.EnsureChannelAsync(ConsolePublisher.PlatformName, "stdout", null, digestOptions.Value.ConsoleSchedule, digestOptions.Value.TimeZone, cancellationToken);
        await deliveryStore.SetChannelScheduleAsync(console.Id, digestOptions.Value.ConsoleSchedule, digestOptions.Value.TimeZone, cancellationToken);

        await RecoverAsync(cancellationToken);
        foreach (var feed in await feedStore.GetFeedsAsync(cancellationToken))
        {
            await scheduler.ScheduleFeedAsync(feed, cancellationToken);
        }

        foreach (var channel in await deliveryStore.GetChannelsAsync(cancellationToken))
        {
            await scheduler.ScheduleChannelAsync(channel, cancellationToken);
        }

        await scheduler.ScheduleSweepAsync(cancellationToken);
        var nextDigest = DigestScheduler.NextDigest(console, time.GetUtcNow());
        LogStarted(logger, feeds.Count, nextDigest);
    }

    /// <summary>One worker at a time (a lease) reprocesses what crashed workers left; items other workers are processing are left to them.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (!await leaseStore.TryAcquireLeaseAsync("recovery", worker, TimeSpan.FromMinutes(5), time.GetUtcNow(), cancellationToken))
        {
            return;
        }

        try
        {
            var leftBehind = storage.Value.IsPostgres ? time.GetUtcNow() - LeftBehindAfter : DateTimeOffset.MaxValue;
            List<StoredItem> pending;
            while ((pending = (await itemStore.GetUnclassifiedAsync(500, cancellationToken)).Where(i => i.FirstSeen < leftBehind).ToList()).Count > 0)
            {
                await pipeline.ProcessAsync(pending, cancellationToken);
            }

            await delivery.FlushAllAsync(cancellationToken);
        }
        finally
        {
            await leaseStore.ReleaseLeaseAsync("recovery", worker, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest started: {Feeds} configured feeds polling; the console's next digest is at {NextDigest:yyyy-MM-dd HH:mm} UTC (Digest:ConsoleSchedule)")]
    private static partial void LogStarted(ILogger logger, int feeds, DateTimeOffset? nextDigest);
}
