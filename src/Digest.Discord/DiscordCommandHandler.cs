using System.Collections.Concurrent;
using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Discord.Commands;
using Digest.Discord.Interactions;
using Digest.Discord.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Discord;

/// <summary>
/// Discord's side of the command core: a slash command becomes the <see cref="CommandRequest"/> a Telegram user would
/// type (<c>/feeds remove 12</c>, <c>/alerts add security guarantees</c>), handled by <see cref="CommandDispatcher"/> and
/// rendered as embeds with pager buttons. The channel is created on first sight (on the default schedule, scheduled once
/// per process); the guild is the community; a member's private channel is <c>dm:{user id}</c>. Rights come from the
/// member's permissions in this interaction, every time. <c>/webhook</c> is handled here: it moves the channel's
/// delivery address to a webhook URL and back.
/// </summary>
internal sealed partial class DiscordCommandHandler(
    CommandDispatcher dispatcher,
    IStoryStore storyStore,
    IDeliveryStore deliveryStore,
    ICommunityStore communityStore,
    ILeaseStore leaseStore,
    IDigestScheduling scheduling,
    CommunityScopes scopes,
    DiscordPager pager,
    IOptions<DiscordOptions> options,
    ILogger<DiscordCommandHandler> logger) : IDiscordInteractionHandler
{
    public const int MaxChoices = 25;

    private readonly ConcurrentDictionary<long, byte> scheduled = new();

    public static string Community(string guildId) => "discord:" + guildId;

    /// <summary>The adapter state that remembers which channel record a webhook-bound Discord channel is.</summary>
    public static string BindingKey(string channelId) => "discord:webhook:" + channelId;

    public async Task<DiscordReply> HandleAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        if (interaction.GuildId is not { } guild || interaction.ChannelId is not { } channelId)
        {
            return new DiscordReply("I work in server channels; use my commands there.", Ephemeral: true);
        }

        var community = Community(guild);
        var channel = await ChannelAsync(channelId, community, cancellationToken);
        var rights = interaction.IsModerator ? CallerRights.Moderator : CallerRights.Member;
        string name, arguments;
        var page = 0;
        if (interaction.IsComponent)
        {
            if (pager.Decode(interaction.CustomId) is not { } pressed)
            {
                return new DiscordReply("This list has expired; run the command again.", Ephemeral: true);
            }

            (name, arguments, page) = (pressed.Command, pressed.Argument, pressed.Page);
        }
        else
        {
            name = interaction.Command;
            arguments = await ArgumentsAsync(interaction, community, cancellationToken);
        }

        if (name == "webhook" && rights == CallerRights.Moderator)
        {
            return DiscordReplyRenderer.Render(await WebhookAsync(interaction, channelId, channel, cancellationToken));
        }

        // A moderator setting the schedule means "deliver here": a channel paused by a delivery failure resumes.
        if (name == "schedule" && rights == CallerRights.Moderator && channel.PausedReason is not null)
        {
            await deliveryStore.SetChannelPausedAsync(channel.Id, null, cancellationToken);
            channel = channel with { PausedReason = null };
        }

        var request = new CommandRequest(
            name,
            arguments,
            new CommandCaller(interaction.UserId, interaction.UserName, DiscordPublisher.DirectPrefix + interaction.UserId),
            community,
            channel,
            rights,
            new ChannelDefaults(options.Value.DefaultSchedule, options.Value.DefaultTimeZone),
            page);
        var reply = await dispatcher.HandleAsync(request, cancellationToken);
        return DiscordReplyRenderer.Render(reply, reply.Pager is { } replyPager ? pager.Buttons(replyPager) : null);
    }

    public async Task<IReadOnlyList<DiscordChoice>> AutocompleteAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        if (interaction.GuildId is not { } guild || interaction.FocusedOption is not { } focused)
        {
            return [];
        }

        var community = Community(guild);
        var typed = (interaction.GetString(focused) ?? "").Trim();
        return (interaction.Command, focused) switch
        {
            ("feeds", "feed") => await FeedChoicesAsync(community, typed, interaction.Subcommand != "remove", cancellationToken),
            ("story", "id") or ("feedback", "story") => await StoryChoicesAsync(community, typed, cancellationToken),
            ("alerts", "phrase") => await AlertChoicesAsync(interaction.UserId, community, typed, cancellationToken),
            _ => [],
        };
    }

    /// <summary>
    /// The channel record for a Discord channel: the one it was bound to a webhook with, else the one for its id (created
    /// on the default schedule when new). Scheduled once per process.
    /// </summary>
    private async Task<ChannelRecord> ChannelAsync(string channelId, string community, CancellationToken cancellationToken)
    {
        ChannelRecord? channel = null;
        if (long.TryParse(await leaseStore.GetStateAsync(BindingKey(channelId), cancellationToken), NumberStyles.None, CultureInfo.InvariantCulture, out var boundId))
        {
            channel = await deliveryStore.GetChannelAsync(boundId, cancellationToken);
        }

        channel ??= await deliveryStore.EnsureChannelAsync(DiscordPublisher.PlatformName, channelId, community, options.Value.DefaultSchedule, options.Value.DefaultTimeZone, cancellationToken);
        if (scheduled.TryAdd(channel.Id, 0))
        {
            await scheduling.ScheduleChannelAsync(channel, cancellationToken);
        }

        return channel;
    }

    /// <summary>
    /// The words after the command, as the core reads them: subcommand group, subcommand, then the options in the order
    /// the command defines them (<c>/feeds add url name</c> → <c>add https://… Kyiv Post</c>).
    /// </summary>
    private async Task<string> ArgumentsAsync(DiscordInteraction interaction, string community, CancellationToken cancellationToken)
    {
        if (interaction is { Command: "feeds", Subcommand: "remove" or "mute" or "unmute" } && interaction.GetString("feed") is { } feed)
        {
            return interaction.Subcommand + " " + await FeedIdAsync(feed.Trim(), community, cancellationToken);
        }

        var definitions = DiscordCommands.All.FirstOrDefault(c => c.Name == interaction.Command)?.Options ?? [];
        var words = new List<string>();
        foreach (var level in new[] { interaction.SubcommandGroup, interaction.Subcommand })
        {
            if (level is not null)
            {
                words.Add(level);
                definitions = definitions.FirstOrDefault(o => o.Name == level)?.Options ?? [];
            }
        }

        words.AddRange(definitions.Select(o => interaction.GetString(o.Name)?.Trim()).OfType<string>().Where(v => v.Length > 0));
        return string.Join(' ', words);
    }

    /// <summary>
    /// The feed's number: autocomplete sends it; a typed name is looked up among the community's feeds, and one not found is
    /// passed on quoted, so a name of several words is refused as a feed not followed rather than as too many words.
    /// </summary>
    private async Task<string> FeedIdAsync(string feed, string community, CancellationToken cancellationToken)
    {
        if (long.TryParse(feed.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out _) || feed.Contains("://", StringComparison.Ordinal))
        {
            return feed;
        }

        var feeds = await communityStore.GetCommunityFeedsAsync(community, cancellationToken);
        return feeds.FirstOrDefault(f => f.Feed.Name.Equals(feed, StringComparison.OrdinalIgnoreCase)) is { } named
            ? named.Feed.Id.ToString(CultureInfo.InvariantCulture)
            : $"\"{feed}\"";
    }

    private async Task<CommandReply> WebhookAsync(DiscordInteraction interaction, string channelId, ChannelRecord channel, CancellationToken cancellationToken)
    {
        switch (interaction.Subcommand)
        {
            case "bind":
                var url = interaction.GetString("url")?.Trim() ?? "";
                if (DiscordPublisher.ParseWebhook(url) is null)
                {
                    return CommandReply.Refuse("That is not a Discord webhook URL. Copy it from the channel's settings (Integrations → Webhooks): https://discord.com/api/webhooks/<id>/<token>");
                }

                if (await deliveryStore.FindChannelAsync(DiscordPublisher.PlatformName, url, cancellationToken) is { } other && other.Id != channel.Id)
                {
                    return CommandReply.Refuse("That webhook is bound to another channel already; create a webhook for this one.");
                }

                await deliveryStore.RebindChannelAsync(channel.Id, url, channel.CommunityId, cancellationToken);
                await leaseStore.SetStateAsync(BindingKey(channelId), channel.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);
                await deliveryStore.SetChannelPausedAsync(channel.Id, null, cancellationToken);
                LogBound(logger, channel.Id, channelId);
                return CommandReply.Say("Bound: this channel's digests now go through the webhook. /webhook unbind posts them as the bot again.");
            case "unbind":
                if (channel.Address == channelId)
                {
                    return CommandReply.Refuse("This channel is not bound to a webhook; the bot posts its digests.");
                }

                await deliveryStore.RebindChannelAsync(channel.Id, channelId, channel.CommunityId, cancellationToken);
                await leaseStore.SetStateAsync(BindingKey(channelId), "", cancellationToken);
                await deliveryStore.SetChannelPausedAsync(channel.Id, null, cancellationToken);
                LogUnbound(logger, channel.Id, channelId);
                return CommandReply.Say("Unbound: the bot posts this channel's digests again.");
            default:
                return CommandReply.Refuse("Use /webhook bind <url> or /webhook unbind.");
        }
    }

    /// <summary>The community's feeds matching what was typed: its own, and with <paramref name="configuredToo"/> the configured ones (they can be muted, not removed).</summary>
    private async Task<IReadOnlyList<DiscordChoice>> FeedChoicesAsync(string community, string typed, bool configuredToo, CancellationToken cancellationToken)
    {
        var feeds = await communityStore.GetCommunityFeedsAsync(community, cancellationToken);
        return [.. feeds
            .Where(f => (configuredToo || !f.Configured) && (typed.Length == 0 || f.Feed.Name.Contains(typed, StringComparison.OrdinalIgnoreCase) || f.Feed.Url.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .Take(MaxChoices)
            .Select(f => new DiscordChoice($"#{f.Feed.Id} {f.Feed.Name}", f.Feed.Id.ToString(CultureInfo.InvariantCulture)))];
    }

    /// <summary>The community's recent stories whose number starts with, or whose title contains, what was typed.</summary>
    private async Task<IReadOnlyList<DiscordChoice>> StoryChoicesAsync(string community, string typed, CancellationToken cancellationToken)
    {
        typed = typed.TrimStart('#');
        var scope = await scopes.ForAsync(community, cancellationToken);
        var stories = await storyStore.GetStoriesAsync(new StoryQuery(200, FeedIds: scope.FeedIds), cancellationToken);
        return [.. stories
            .Where(s => scope.Admits(s) && (typed.Length == 0
                || s.Id.ToString(CultureInfo.InvariantCulture).StartsWith(typed, StringComparison.Ordinal)
                || s.Title.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .Take(MaxChoices)
            .Select(s => new DiscordChoice($"#{s.Id} {s.Title}", s.Id.ToString(CultureInfo.InvariantCulture)))];
    }

    private async Task<IReadOnlyList<DiscordChoice>> AlertChoicesAsync(string userId, string community, string typed, CancellationToken cancellationToken)
    {
        var subscription = await communityStore.GetSubscriptionAsync(DiscordPublisher.PlatformName, userId, community, cancellationToken);
        return [.. (subscription?.Alerts ?? [])
            .Where(p => p.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .Take(MaxChoices)
            .Select(p => new DiscordChoice(p, p))];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord channel {ChannelRecordId} ({DiscordChannelId}) now posts through a webhook")]
    private static partial void LogBound(ILogger logger, long channelRecordId, string discordChannelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord channel {ChannelRecordId} ({DiscordChannelId}) posts as the bot again")]
    private static partial void LogUnbound(ILogger logger, long channelRecordId, string discordChannelId);
}
