using Digest.Core;
using Digest.Core.Digests;
using Digest.Core.Feeds;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest once</c>: one cycle of the bot's main job — poll every feed, run the pipeline, print the digest. Feed errors
/// are reported on standard error and the other feeds go on. Nothing is marked delivered: it is a look, not a post.
/// </summary>
internal static class OnceCommand
{
    private static readonly string[] Known = ["--format", "--feeds", "--since", "--verbose"];

    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (VerbArguments.Parse(args.VerbWords, Known, stderr) is not { } options)
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

            window = parsed;
        }

        if (options.Has("--feeds") && options.Values("--feeds").Count == 0)
        {
            await stderr.WriteLineAsync("--feeds needs at least one path or URL");
            return 2;
        }

        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, stdout, format, verbose: options.Has("--verbose"));
        await host.StartAsync(cancellationToken);
        var services = host.Services;
        var store = services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(cancellationToken);
        var overrides = options.Values("--feeds");
        var feeds = await services.GetRequiredService<FeedCatalog>().SyncAsync(overrides, cancellationToken);

        var poller = services.GetRequiredService<FeedPoller>();
        var reports = await Task.WhenAll(feeds.Select(f => poller.PollAsync(f, cancellationToken)));
        foreach (var failed in reports.Where(r => r.Error is not null))
        {
            await stderr.WriteLineAsync(SafeUrl.RedactIn($"feed {failed.Feed.Name} ({SafeUrl.Redact(failed.Feed.Url)}): {failed.Error}"));
        }

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
        return reports.All(r => r.Error is not null) && reports.Length > 0 ? 1 : 0;
    }
}
