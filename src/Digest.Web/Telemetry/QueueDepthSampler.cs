using Digest.Core.Storage;
using Digest.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Digest.Web.Telemetry;

/// <summary>
/// Counts the queues for the <c>digest_outbox_pending</c> and <c>digest_items_unprocessed</c> gauges every
/// <see cref="Interval"/>: a scrape reads the last count and never waits on the database.
/// </summary>
internal sealed partial class QueueDepthSampler(IDeliveryStore deliveries, IStoryStore stories, DigestMetrics metrics, TimeProvider time, ILogger<QueueDepthSampler> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var outbox = await deliveries.GetOutboxBacklogAsync(stoppingToken);
                var pipeline = await stories.GetBacklogAsync(stoppingToken);
                metrics.QueueDepths(outbox.Sum(b => (long)b.Waiting), pipeline.UnprocessedItems);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is /readyz's business; the gauges keep their last value.
                LogFailed(logger, e.Message);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Counting the queues failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
