using System.Net;
using System.Text.Json;
using Digest.Web.Tests.TestSupport;

namespace Digest.Web.Tests;

/// <summary>
/// What <c>/metrics</c> shows. Alone in the test process: the exporter listens to every meter named <c>Digest</c> in the
/// process, so another test's bot running at the same time would add its own series to this one's scrape.
/// </summary>
[Collection(nameof(MetricsEndpointTests))]
[CollectionDefinition(nameof(MetricsEndpointTests), DisableParallelization = true)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Run_ServesHealthReadinessAndMetrics_OnWebUrls()
    {
        await using var bot = await WebBot.StartAsync();
        await bot.FirstPollsDoneAsync();
        var ct = TestContext.Current.CancellationToken;

        using var health = await bot.Http.GetAsync("healthz", ct);
        health.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var ready = await bot.Http.GetAsync("readyz", ct);
        var readiness = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(ct)).RootElement;
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, readiness.ToString());
        var checks = readiness.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        checks["database"].ShouldBe("Healthy");
        checks["scheduler"].ShouldBe("Healthy");
        checks["chat"].ShouldBe("Healthy");

        var metrics = await bot.Http.GetStringAsync("metrics", ct);
        var ingested = metrics.Split('\n').Single(l => l.StartsWith("digest_items_ingested_total", StringComparison.Ordinal));
        double.Parse(ingested.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
        metrics.ShouldContain("digest_messages_sent_total{");
        metrics.ShouldContain("platform=\"console\"");
        var pollBuckets = metrics.Split('\n').Where(l => l.StartsWith("digest_poll_duration_seconds_bucket", StringComparison.Ordinal)).ToList();
        pollBuckets.ShouldContain(l => l.Contains("le=\"0.1\""), "buckets in seconds: a poll of a local file takes a fraction of one");
        pollBuckets.ShouldNotContain(l => l.Contains("le=\"5000\""));
        metrics.ShouldContain("digest_outbox_pending");
    }
}
