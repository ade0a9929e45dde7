using System.Diagnostics.Metrics;

namespace Digest.Core.Telemetry;

/// <summary>
/// The bot's own measurements, on a <see cref="Meter"/> named <see cref="MeterName"/>. Only System.Diagnostics here: the
/// exporter (Prometheus on <c>/metrics</c>, OTLP) is the web host's, which listens to this meter by name.
/// </summary>
internal sealed class DigestMetrics
{
    public const string MeterName = "Digest";

    private readonly Counter<long> itemsIngested;
    private readonly Counter<long> messagesSent;
    private readonly Histogram<double> pollDuration;
    private readonly Histogram<double> deliveryDuration;

    // Buckets for durations in seconds, from a local file's poll to a request timeout (Feeds:Timeout, Discord:RequestTimeout).
    // Without them the exporter's defaults, made for milliseconds (0, 5, 10 … 10000), put every poll in the first bucket.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300],
    };

    // Queue depths are counted in the store by whoever can afford to (the web host, every few seconds); the gauges show the last count.
    private long outboxPending;
    private long itemsUnprocessed;

    public DigestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        itemsIngested = meter.CreateCounter<long>("digest.items.ingested", "{item}", "New items stored from feeds");
        messagesSent = meter.CreateCounter<long>("digest.messages.sent", "{message}", "Outbox messages tried, by platform and outcome (delivered, failed)");
        pollDuration = meter.CreateHistogram<double>("digest.poll.duration", "s", "How long one poll of one feed took, fetch to stored", tags: null, Seconds);
        deliveryDuration = meter.CreateHistogram<double>("digest.delivery.duration", "s", "How long one message took to send, by platform", tags: null, Seconds);
        meter.CreateObservableGauge("digest.outbox.pending", () => Interlocked.Read(ref outboxPending), "{message}", "Messages recorded but not yet acknowledged");
        meter.CreateObservableGauge("digest.items.unprocessed", () => Interlocked.Read(ref itemsUnprocessed), "{item}", "Items stored but not yet classified");
    }

    /// <summary>
    /// Starts the series at zero, so a scrape shows them before the first poll or message: the items counter, and one
    /// messages series per platform and outcome. Call once the exporter listens.
    /// </summary>
    public void Announce(IEnumerable<string> platforms)
    {
        itemsIngested.Add(0);
        foreach (var platform in platforms.Distinct())
        {
            var platformTag = new KeyValuePair<string, object?>("platform", platform);
            messagesSent.Add(0, platformTag, new KeyValuePair<string, object?>("outcome", "delivered"));
            messagesSent.Add(0, platformTag, new KeyValuePair<string, object?>("outcome", "failed"));
        }
    }

    public void ItemsIngested(int count)
    {
        if (count > 0)
        {
            itemsIngested.Add(count);
        }
    }

    public void PollDone(TimeSpan took, bool success) => pollDuration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("outcome", success ? "ok" : "failed"));

    public void MessageSent(string platform, bool delivered, TimeSpan took)
    {
        var platformTag = new KeyValuePair<string, object?>("platform", platform);
        messagesSent.Add(1, platformTag, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));
        deliveryDuration.Record(took.TotalSeconds, platformTag);
    }

    public void QueueDepths(long pending, long unprocessed)
    {
        Interlocked.Exchange(ref outboxPending, pending);
        Interlocked.Exchange(ref itemsUnprocessed, unprocessed);
    }
}
