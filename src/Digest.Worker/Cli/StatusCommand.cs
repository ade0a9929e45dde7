using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Storage;
using Digest.Storage.Sqlite;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest status</c>: every feed with its last success, last error and next poll; every channel with its last and next
/// digest and what waits in its outbox; the messages set aside after failing too often.
/// </summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, stdout, "text");
        await host.StartAsync(cancellationToken);
        var store = host.Services.GetRequiredService<IDigestStore>();
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var schedules = host.Services.GetRequiredService<Schedules>();
        if (store is SqliteStore { DatabaseFile: { } file } && !File.Exists(file))
        {
            // A look creates nothing: a mistyped path (or a shell without the bot's settings) must not leave an empty
            // database behind that then seems to be the bot's.
            await stdout.WriteLineAsync($"No database at {file}: `digest once` or `digest run` creates it; is Storage:ConnectionString the bot's?");
            await host.StopAsync(cancellationToken);
            return 0;
        }

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
        var backlogs = (await store.GetOutboxBacklogAsync(cancellationToken)).ToDictionary(b => b.ChannelId);
        if (channels.Count > 0)
        {
            await stdout.WriteLineAsync($"Channels ({channels.Count})");
            foreach (var channel in channels)
            {
                var next = schedules.Next(channel.Schedule, channel.TimeZone, now);
                await stdout.WriteLineAsync($"  {channel.Platform} {channel.ShownAddress}  schedule '{channel.Schedule}' ({channel.TimeZone})   last digest: {When(channel.LastDigestAt)}   next: {When(next)}{(channel.PausedReason is { } p ? $"   PAUSED: {p}" : "")}");
                if (backlogs.TryGetValue(channel.Id, out var backlog) && backlog.Waiting > 0)
                {
                    var failing = backlog.LastError is { } error ? $"   next attempt: {When(backlog.NextAttemptAt)}   last error: {error}" : "";
                    await stdout.WriteLineAsync($"    waiting to send: {backlog.Waiting}{failing}");
                }
            }
        }

        // Messages the bot gave up on, newest first: each with its channel, when it was queued and why.
        var setAside = await store.GetSetAsideAsync(20, cancellationToken);
        if (setAside.Count > 0)
        {
            var byId = channels.ToDictionary(c => c.Id);
            await stdout.WriteLineAsync($"Set aside ({backlogs.Values.Sum(b => b.SetAside)}, latest first)");
            foreach (var message in setAside)
            {
                var where = byId.TryGetValue(message.ChannelId, out var channel) ? $"{channel.Platform} {channel.ShownAddress}" : $"channel {message.ChannelId}";
                await stdout.WriteLineAsync($"  #{message.Id} {message.Kind} to {where}   queued {When(message.CreatedAt)}   set aside {When(message.SetAsideAt)}   {message.Reason}");
            }
        }

        // Who holds each connection that must be unique across workers (the Telegram poll, the Discord gateway).
        var leases = await store.GetLeasesAsync(cancellationToken);
        if (leases.Count > 0)
        {
            await stdout.WriteLineAsync($"Leases ({leases.Count})");
            foreach (var lease in leases)
            {
                var state = lease.ExpiresAt > now ? $"until {When(lease.ExpiresAt)} unless renewed" : $"expired {When(lease.ExpiresAt)}: the next worker to ask takes it";
                await stdout.WriteLineAsync($"  {lease.Name}  held by {lease.Holder}   {state}");
            }
        }

        await host.StopAsync(cancellationToken);
        return 0;
    }

    private static string When(DateTimeOffset? at) => at is { } value ? value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";
}
