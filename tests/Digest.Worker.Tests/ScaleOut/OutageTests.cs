using System.Globalization;
using Digest.Tests.Shared;

namespace Digest.Worker.Tests.ScaleOut;

/// <summary>
/// A real worker through a PostgreSQL outage: it keeps running, goes on when the server is back, and the digest slots
/// missed meanwhile make at most one digest (before, every one of them fired at once on recovery).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OutageTests(PostgresCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>How long the server is away: six slots of a schedule every 5 s, less than Quartz's 60 s misfire threshold.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    private static async Task<long> CountAsync(string connectionString, string sql) => Convert.ToInt64(await Workers.ScalarAsync(connectionString, sql) ?? 0L, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Run_PostgresAwayForSixSlots_WorkerGoesOnAndTheMissedSlotsMakeAtMostOneDigest()
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var connectionString = await cluster.CreateDatabaseAsync("outage");
        using var worker = WorkerProcess.Start(["--Storage:Provider=postgres", $"--Storage:ConnectionString={connectionString}", "--Digest:ConsoleSchedule=0/5 * * * * ?", "--Summarization:FullText:Enabled=false"]);
        const string SentDigests = "SELECT count(*) FROM outbox WHERE kind = 'digest' AND sent_at IS NOT NULL";
        await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, SentDigests) > 0, "a first digest", Patience, [worker]);

        var down = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await cluster.StopAsync();

        // The outage itself takes its time: it is the scenario, not an assertion.
        await Task.Delay(Outage, TestContext.Current.CancellationToken);
        await cluster.StartAsync();
        var up = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

        // The worker goes on: slots after the outage get their digests.
        var after = $"SELECT count(*) FROM outbox WHERE kind = 'digest' AND sent_at IS NOT NULL AND split_part(dedup_key, ':', 3)::bigint > {up + 5000}";
        await Workers.WaitUntilAsync(async () => await CountAsync(connectionString, after) >= 2, "digests after the outage", Patience, [worker]);

        var missed = await CountAsync(connectionString, $"SELECT count(*) FROM outbox WHERE kind = 'digest' AND split_part(dedup_key, ':', 3)::bigint BETWEEN {down} AND {up}");
        missed.ShouldBeLessThanOrEqualTo(1, Workers.Logs([worker]));
        worker.Errors.ShouldNotContain(l => l.StartsWith("Unhandled exception.", StringComparison.Ordinal));
    }
}
