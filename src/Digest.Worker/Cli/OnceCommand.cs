using Digest.Core;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest once</c>: one cycle of the bot's main job — poll every feed, run the stages, print the digest. Feed errors
/// are reported on standard error and the other feeds go on. Nothing is marked delivered: it is a look, not a post.
/// With <c>--feeds</c> it leaves no trace: those feeds are read into a scratch database deleted afterwards, so the bot's
/// own store never holds them (<c>run</c> doesn't poll them, <c>status</c> doesn't list them).
/// </summary>
internal static class OnceCommand
{
    private static readonly string[] Known = ["--format", "--feeds", "--since", "--verbose"];

    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (VerbArguments.Parse(args.VerbWords, Known, stderr) is not { } options || !options.HaveValues(stderr, "--format", "--since"))
        {
            return 2;
        }

        var format = (options.Value("--format") ?? "text").ToLowerInvariant();
        if (format is not ("text" or "markdown" or "json"))
        {
            await stderr.WriteLineAsync($"--format must be text, markdown or json, not '{format}'");
            return 2;
        }

        TimeSpan? window = null;
        if (options.Value("--since") is { } since)
        {
            if (!Arguments.TryParseDuration(since, out var parsed))
            {
                await stderr.WriteLineAsync($"--since takes a duration such as 48h, 90m or 7d, not '{since}'");
                return 2;
            }

            // No news is a century old: a longer window is every story (and one reaching back before year 1 is no date at all).
            window = parsed <= TimeSpan.FromDays(36525) ? parsed : null;
        }

        if (options.Has("--feeds") && options.Values("--feeds").Count == 0)
        {
            await stderr.WriteLineAsync("--feeds needs at least one path or URL");
            return 2;
        }

        var overrides = options.Values("--feeds");
        if (overrides.Count == 0)
        {
            return await RunAsync(args.Configuration, options, format, window, overrides, stdout, stderr, cancellationToken);
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"digest-once-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            string[] configuration = [.. args.Configuration, "--Storage:Provider=sqlite", $"--Storage:ConnectionString=Data Source={Path.Combine(scratch, "once.db")}"];
            return await RunAsync(configuration, options, format, window, overrides, stdout, stderr, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // A file still open (an antivirus, a slow close): the temp directory is the system's to clean.
            }
        }
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> configuration, VerbArguments options, string format, TimeSpan? window, IReadOnlyList<string> overrides, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Tool, configuration, stdout, format, verbose: options.Has("--verbose"));
        await host.StartAsync(cancellationToken);
        var services = host.Services;
        var store = services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(cancellationToken);
        var feeds = await services.GetRequiredService<FeedCatalog>().SyncAsync(overrides, cancellationToken);

        var (polled, failed) = await PollAndProcessAsync(services, feeds, stderr, cancellationToken);

        var digest = await services.GetRequiredService<DigestComposer>().ComposePublishedWithinAsync(
            window, overrides.Count > 0 ? feeds.Select(f => f.Id).ToList() : null, cancellationToken);
        var text = format switch
        {
            "json" => JsonDigestRenderer.Render(digest),
            "markdown" => MarkdownDigestRenderer.Render(digest),
            _ => TextDigestRenderer.Render(digest),
        };
        await stdout.WriteLineAsync(text.TrimEnd());
        await host.StopAsync(cancellationToken);
        return polled > 0 && failed == polled ? 1 : 0;
    }

    /// <summary>How many feeds are read at once: enough to keep both stages and every core busy.</summary>
    internal static int PollConcurrency => Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>
    /// Streams the cycle: feeds are read a few at a time and each feed's batch is stored as it arrives; the process stage
    /// then takes the stored items in batches while the refresh stage consumes the stories it touches; nothing holds
    /// every item or every report. Returns once every stored item
    /// is processed and every story it touched refreshed. A failed feed is reported on standard error; the others go on.
    /// </summary>
    private static async Task<(int Polled, int Failed)> PollAndProcessAsync(IServiceProvider services, IReadOnlyList<FeedRecord> feeds, TextWriter stderr, CancellationToken cancellationToken)
    {
        var poller = services.GetRequiredService<FeedPoller>();
        var failed = 0;
        using var errors = new SemaphoreSlim(1, 1);
        var polling = Parallel.ForEachAsync(feeds, new ParallelOptions { MaxDegreeOfParallelism = PollConcurrency, CancellationToken = cancellationToken }, async (feed, token) =>
        {
            var report = await poller.PollAsync(feed, token);
            if (report.Error is { } error)
            {
                await errors.WaitAsync(token);
                try
                {
                    failed++;
                    await stderr.WriteLineAsync(SafeUrl.RedactIn($"feed {report.Feed.Name} ({SafeUrl.Redact(report.Feed.Url)}): {error}"));
                }
                finally
                {
                    errors.Release();
                }
            }
        });

        // Processing starts once every feed is stored, so the items are clustered in published order whatever order the
        // feeds arrived in, and the same feeds give the same digest; refreshing runs alongside it. Both stop once they
        // have caught up.
        var processing = ProcessAfterAsync(polling, services.GetRequiredService<ProcessStage>(), cancellationToken);
        var refreshing = services.GetRequiredService<RefreshStage>().RunAsync(processing, cancellationToken);
        await Task.WhenAll(polling, processing, refreshing);
        return (feeds.Count, failed);
    }

    private static async Task ProcessAfterAsync(Task polling, ProcessStage process, CancellationToken cancellationToken)
    {
        await polling;
        await process.RunAsync(Task.CompletedTask, cancellationToken);
    }
}
