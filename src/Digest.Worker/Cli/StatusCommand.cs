using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary><c>digest status</c>: every feed with its last success, last error and next poll; every channel with its last and next digest.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, stdout, "text");
        await host.StartAsync(cancellationToken);
        var store = host.Services.GetRequiredService<IDigestStore>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var schedules = host.Services.GetRequiredService<Schedules>();
        await store.MigrateAsync(cancellationToken);

        var feeds = await store.GetFeedsAsync(cancellationToken);
        await stdout.WriteLineAsync(feeds.Count == 0 ? "No feeds yet: run `digest once` or `digest run` first." : $"Feeds ({feeds.Count})");
        foreach (var feed in feeds)
        {
            await stdout.WriteLineAsync($"  {feed.Name}  {Digest.Core.Feeds.SafeUrl.Redact(feed.Url)}");
            var state = feed.IsPaused ? $"PAUSED: {feed.PausedReason}" : feed.LastError is { } error ? $"failing ({feed.ConsecutiveFailures}x): {error}" : "ok";
            await stdout.WriteLineAsync(Digest.Core.Feeds.SafeUrl.RedactIn($"    last success: {When(feed.LastSuccessAt)}   next poll: {(feed.IsPaused ? "—" : When(feed.NextPollAt ?? now))}   {state}"));
        }

        var channels = await store.GetChannelsAsync(cancellationToken);
        if (channels.Count > 0)
        {
            await stdout.WriteLineAsync($"Channels ({channels.Count})");
            foreach (var channel in channels)
            {
                var next = schedules.Next(channel.Schedule, channel.TimeZone, now);
                await stdout.WriteLineAsync($"  {channel.Platform} {channel.ShownAddress}  schedule '{channel.Schedule}' ({channel.TimeZone})   last digest: {When(channel.LastDigestAt)}   next: {When(next)}{(channel.PausedReason is { } p ? $"   PAUSED: {p}" : "")}");
            }
        }

        await host.StopAsync(cancellationToken);
        return 0;
    }

    private static string When(DateTimeOffset? at) => at is { } value ? value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";
}
