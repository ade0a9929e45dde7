using System.Globalization;
using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>/subscribe, /unsubscribe and /alerts: a member's private digest and alerts for the community they asked in.</summary>
internal sealed class SubscriptionCommands(IDeliveryStore deliveryStore, ICommunityStore communityStore, IDigestScheduling scheduling, Schedules schedules, TimeProvider time)
{
    public const int AlertsMax = 20;

    /// <summary>Where the private digest and alerts go, in the platform's own words.</summary>
    private static string PrivateNote(CommandRequest request) => request.Channel.Platform == "discord"
        ? "They come as direct messages from me; if your privacy settings block direct messages from server members, allow them for this server."
        : "They come in a private chat with me; if you have never opened one, open it and press Start once.";

    public async Task<CommandReply> SubscribeAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var (subscription, channel) = await EnsureAsync(request, digest: true, cancellationToken);
        if (subscription.Digest && channel.Schedule != Schedules.Off)
        {
            return CommandReply.Refuse("You are subscribed already. /unsubscribe stops it.");
        }

        if (channel.Schedule == Schedules.Off)
        {
            await deliveryStore.SetChannelScheduleAsync(channel.Id, request.Defaults.Schedule, request.Defaults.TimeZone, cancellationToken);
            channel = channel with { Schedule = request.Defaults.Schedule, TimeZone = request.Defaults.TimeZone };
        }

        await communityStore.SetSubscriptionDigestAsync(subscription.Id, true, cancellationToken);
        await scheduling.ScheduleChannelAsync(channel, cancellationToken);
        var next = schedules.Next(channel.Schedule, channel.TimeZone, time.GetUtcNow());
        return CommandReply.Say($"Subscribed: you'll get the digest privately{(next is { } at ? $", next at {Schedules.Describe(at, channel.TimeZone)}" : "")}. {PrivateNote(request)}");
    }

    public async Task<CommandReply> UnsubscribeAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var subscription = await communityStore.GetSubscriptionAsync(request.Channel.Platform, request.Caller.UserId, request.CommunityId, cancellationToken);
        if (subscription is not { Digest: true })
        {
            return CommandReply.Refuse("You are not subscribed to the digest here.");
        }

        await communityStore.SetSubscriptionDigestAsync(subscription.Id, false, cancellationToken);
        if (await deliveryStore.GetChannelAsync(subscription.ChannelId, cancellationToken) is { } channel)
        {
            await deliveryStore.SetChannelScheduleAsync(channel.Id, Schedules.Off, channel.TimeZone, cancellationToken);
            await scheduling.ScheduleChannelAsync(channel with { Schedule = Schedules.Off }, cancellationToken);
        }

        return CommandReply.Say(subscription.Alerts.Count > 0 ? "Unsubscribed from the digest. Your alerts stay on (/alerts list)." : "Unsubscribed from the digest.");
    }

    public async Task<CommandReply> AlertsAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments);
        var action = words.Count > 0 ? words[0].ToLowerInvariant() : "list";
        var phrase = CommandParser.Phrase(request.Arguments);
        switch (action)
        {
            case "list":
                var existing = await communityStore.GetSubscriptionAsync(request.Channel.Platform, request.Caller.UserId, request.CommunityId, cancellationToken);
                return CommandReply.Say(existing is { Alerts.Count: > 0 }
                    ? "Your alerts: " + string.Join(", ", existing.Alerts.Select(p => $"“{p}”"))
                    : "You have no alerts. Add one: /alerts add \"security guarantees\"");
            case "add":
                if (CommunityCommands.CheckNewPhrase(phrase, "/alerts add") is { } bad)
                {
                    return bad;
                }

                var (subscription, _) = await EnsureAsync(request, digest: false, cancellationToken);
                if (subscription.Alerts.Count >= AlertsMax)
                {
                    return CommandReply.Refuse(string.Create(CultureInfo.InvariantCulture, $"You have {AlertsMax} alerts, the most I keep; remove one first."));
                }

                return await communityStore.AddAlertAsync(subscription.Id, phrase, time.GetUtcNow(), cancellationToken)
                    ? CommandReply.Say($"Alert added: I'll tell you privately when a new story mentions “{phrase}”. {PrivateNote(request)}")
                    : CommandReply.Refuse($"You have an alert for “{phrase}” already.");
            case "remove":
                if (CommunityCommands.CheckPhrase(phrase, "/alerts remove") is { } badRemove)
                {
                    return badRemove;
                }

                var current = await communityStore.GetSubscriptionAsync(request.Channel.Platform, request.Caller.UserId, request.CommunityId, cancellationToken);
                return current is not null && await communityStore.RemoveAlertAsync(current.Id, phrase, cancellationToken)
                    ? CommandReply.Say($"Alert for “{phrase}” removed.")
                    : CommandReply.Refuse($"You have no alert for “{phrase}”. /alerts list shows yours.");
            default:
                return CommandReply.Refuse($"'{CommandParser.Shown(words[0])}' is not an /alerts action. Use /alerts add <phrase>, /alerts remove <phrase> or /alerts list.");
        }
    }

    /// <summary>
    /// The caller's private channel and subscription for this community. Only /subscribe (<paramref name="digest"/>) moves a
    /// private chat that belongs to a community to this one: an alert added in another group goes to the same chat, and must
    /// not turn the digest the member subscribed to into that group's.
    /// </summary>
    private async Task<(SubscriptionRecord Subscription, ChannelRecord Channel)> EnsureAsync(CommandRequest request, bool digest, CancellationToken cancellationToken)
    {
        var platform = request.Channel.Platform;
        var owned = !digest && await deliveryStore.FindChannelAsync(platform, request.Caller.PrivateAddress, cancellationToken) is { CommunityId: not null };
        var channel = await deliveryStore.EnsureChannelAsync(
            platform,
            request.Caller.PrivateAddress,
            owned ? null : request.CommunityId,
            digest ? request.Defaults.Schedule : Schedules.Off,
            request.Defaults.TimeZone,
            cancellationToken);
        var subscription = await communityStore.EnsureSubscriptionAsync(platform, request.Caller.UserId, request.CommunityId, channel.Id, time.GetUtcNow(), cancellationToken);
        return (subscription, channel);
    }
}
