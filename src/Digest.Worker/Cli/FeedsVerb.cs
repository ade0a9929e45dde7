using Digest.Core;
using Digest.Core.Feeds;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest feeds check &lt;url-or-path&gt; [--format json]</c>: fetches a feed through the same guard and limits as
/// polling, parses it, and shows what a moderator needs (the preview <c>/feeds add</c> shows). Exit 0, or 1 with a
/// one-line reason on standard error.
/// </summary>
internal static class FeedsVerb
{
    private static readonly string[] Known = ["--format"];

    private const string Usage = "usage: digest feeds check <url-or-path> [--format text|json]";

    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var words = args.VerbWords;
        if (words.Count < 2 || words[0] != "check" || words[1].StartsWith("--", StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync(words.Count > 0 && words[0] != "check" ? $"feeds has one action, check (not '{words[0]}'). {Usage}" : Usage);
            return 2;
        }

        if (VerbArguments.Parse(words.Skip(2).ToList(), Known, stderr) is not { } options || !options.HaveValues(stderr, "--format"))
        {
            return 2;
        }

        var format = (options.Value("--format") ?? "text").ToLowerInvariant();
        if (format is not ("text" or "json"))
        {
            await stderr.WriteLineAsync($"--format must be text or json, not '{format}'");
            return 2;
        }

        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, stdout, "text");
        await host.StartAsync(cancellationToken);
        var services = host.Services;
        var location = words[1];
        var (preview, error) = await FeedPreview.LoadAsync(
            services.GetRequiredService<FeedFetcher>(), location, services.GetRequiredService<TimeProvider>(), cancellationToken);
        await host.StopAsync(cancellationToken);
        if (preview is null)
        {
            await stderr.WriteLineAsync($"{SafeUrl.Redact(location)}: {error}".ReplaceLineEndings(" "));
            return 1;
        }

        await stdout.WriteLineAsync(format == "json" ? preview.ToJson() : preview.ToText());
        return 0;
    }
}
