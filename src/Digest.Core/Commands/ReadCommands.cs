using System.Globalization;
using System.Text;
using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Commands;

/// <summary>What everyone may ask: /help, /latest, /digest, /search, /story, /status.</summary>
internal sealed class ReadCommands(IItemStore itemStore, IStoryStore storyStore, IDeliveryStore deliveryStore, ICommunityStore communityStore, DigestComposer composer, CommunityScopes scopes, Schedules schedules, TimeProvider time)
{
    public const int LatestDefault = 5;
    public const int LatestMax = 20;
    public const int SearchPageSize = 5;

    /// <summary>More pages than any search can fill, so a page's offset stays far from overflowing.</summary>
    private const int SearchPagesMax = 1000;

    /// <summary>The most stories a /latest reads before the community's topic filter; deeper pages say so.</summary>
    private const int LatestWindow = 200;

    public static CommandReply Help(CommandRequest request)
    {
        var text = new StringBuilder("I follow one developing story and post digests here. Commands:");
        foreach (var command in CommandCatalog.All.Where(c => c.Access == CallerRights.Member || request.Rights == CallerRights.Moderator))
        {
            text.Append('\n').Append(command.Usage).Append(" — ").Append(command.Description);
        }

        if (request.Rights != CallerRights.Moderator)
        {
            text.Append("\nModerators can also manage feeds, the topic and the schedule.");
        }

        return CommandReply.Say(text.ToString());
    }

    public async Task<CommandReply> LatestAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments);
        var count = LatestDefault;
        if (words.Count > 1 || (words.Count == 1 && (!int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > LatestMax)))
        {
            return CommandReply.Refuse($"/latest takes one number from 1 to {LatestMax} (how many stories), not '{CommandParser.Shown(request.Arguments)}'.");
        }

        // A page number comes from a button's data, which a client can forge: past the window there is nothing to show.
        if (request.Page >= LatestWindow)
        {
            return CommandReply.Say("No more stories.");
        }

        var scope = await scopes.ForAsync(request.CommunityId, cancellationToken);
        var wanted = (request.Page + 1) * count + 1;
        var stories = await storyStore.GetStoriesAsync(new StoryQuery(Math.Min(LatestWindow, wanted * 3), FeedIds: scope.FeedIds), cancellationToken);
        var visible = stories.Where(scope.Admits).ToList();
        var page = visible.Skip(request.Page * count).Take(count).ToList();
        if (page.Count == 0)
        {
            return CommandReply.Say(request.Page == 0 ? "No stories yet. The feeds are polled every few minutes; try again soon." : "No more stories.");
        }

        var first = request.Page * count + 1;
        var heading = request.Page == 0
            ? page.Count == 1 ? "The newest story" : $"The {page.Count} newest stories"
            : page.Count == 1 ? $"Story {first}" : $"Stories {first}–{first + page.Count - 1}";
        var pager = new ReplyPager("latest", count.ToString(CultureInfo.InvariantCulture), request.Page, visible.Count > (request.Page + 1) * count);
        return new CommandReply(heading, page.Select(Replies.Story).ToList(), pager);
    }

    /// <summary>
    /// /digest (or /digest preview): exactly what this chat's next digest would carry now — nothing is sent or marked, the
    /// schedule is not moved. /digest quiet on|off (moderators): whether a digest with nothing new is skipped (the default)
    /// or says so in a line.
    /// </summary>
    public async Task<CommandReply> DigestAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments).Select(w => w.ToLowerInvariant()).ToList();
        switch (words)
        {
            case [] or ["now"] or ["preview"]:
                var scope = await scopes.ForAsync(request.CommunityId, cancellationToken);
                var next = (await composer.ComposeForChannelAsync(request.Channel, scope, cancellationToken)).Digest;
                var reply = Replies.Digest(next);
                var heading = "Preview of this chat's next digest (nothing is sent or marked):";
                return next.IsEmpty
                    ? reply with { Text = $"{heading}\n{reply.Text}\n{(request.Channel.SayNothingNew ? "It would say so." : "Nothing would be sent.")} /latest shows the newest stories." }
                    : reply with { Text = $"{heading}\n{reply.Text}" };
            case ["quiet", "on" or "off"]:
                if (request.Rights != CallerRights.Moderator)
                {
                    return CommandReply.Refuse("Sorry, /digest quiet is for this chat's moderators (its owner and administrators).");
                }

                var say = words[1] == "off";
                await deliveryStore.SetChannelSayNothingNewAsync(request.Channel.Id, say, cancellationToken);
                return CommandReply.Say(say
                    ? "When nothing is new, this chat's digest now says so in one line."
                    : "When nothing is new, this chat gets no digest (the default).");
            default:
                return CommandReply.Refuse("Use /digest (or /digest preview) to see what the next digest would carry, or /digest quiet on|off to skip or announce a digest with nothing new.");
        }
    }

    public async Task<CommandReply> SearchAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var query = request.Arguments.Trim();
        if (query.Length == 0)
        {
            return CommandReply.Refuse("/search needs words to look for, for example: /search security guarantees");
        }

        if (query.Length > 200)
        {
            return CommandReply.Refuse($"/search takes at most 200 characters; that was {query.Length}.");
        }

        // As in /latest: a forged page number far past the matches searched shows nothing, and its offset cannot overflow.
        if (request.Page >= SearchPagesMax)
        {
            return CommandReply.Say("No more results.");
        }

        var scope = await scopes.ForAsync(request.CommunityId, cancellationToken);
        var hits = await itemStore.SearchAsync(query, scope.FeedIds, request.Page * SearchPageSize, SearchPageSize + 1, cancellationToken);
        if (hits.Count == 0)
        {
            return CommandReply.Say(request.Page == 0 ? $"Nothing stored matches “{query}”." : "No more results.");
        }

        var entries = hits.Take(SearchPageSize).Select(h => new ReplyEntry(
            h.Title,
            h.Url,
            string.Create(CultureInfo.InvariantCulture, $"{h.FeedName} · {h.Published:yyyy-MM-dd}{(h.StoryId is { } id ? $" · story #{id}" : "")}"),
            [h.Snippet])).ToList();
        var first = request.Page * SearchPageSize + 1;
        return new CommandReply($"Results {first}–{first + entries.Count - 1} for “{query}”", entries, new ReplyPager("search", query, request.Page, hits.Count > SearchPageSize));
    }

    public async Task<CommandReply> StoryAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var word = request.Arguments.Trim().TrimStart('#');
        if (!long.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return CommandReply.Refuse($"/story takes a story number such as /story 42 (the #number in digests), not '{CommandParser.Shown(request.Arguments)}'.");
        }

        if (await scopes.StoryAsync(request.CommunityId, id, cancellationToken) is not ({ } story, { } items))
        {
            return NoStory(id);
        }

        // A story merged into another (two reports that turned out to be one event) leads to it; a split says where from or to.
        var merged = story.Id != id ? $" (#{id} was merged into it: the same event)" : "";
        var splitFrom = story.SplitFrom is { } from ? $" (split off from #{from}: a separate event)" : "";
        var splitOff = story.SplitOff.Count > 0 ? $" ({string.Join(", ", story.SplitOff.Select(s => $"#{s}"))} split off from it: {(story.SplitOff.Count == 1 ? "a separate event" : "separate events")})" : "";
        var entries = new List<ReplyEntry> { Replies.Story(story) };
        // An item relevant only because it joined this story (borderline on its own) says so.
        entries.AddRange(items.Select(i => new ReplyEntry(i.Item.Title, i.Item.Url, string.Create(CultureInfo.InvariantCulture,
            $"{i.FeedName} · {i.Item.Published:yyyy-MM-dd HH:mm} UTC{(i.Relevance?.Reasons.Any(r => r.StartsWith("joins story ", StringComparison.Ordinal)) == true ? " · borderline, joined this story" : "")}"), [])));
        return new CommandReply($"Story #{story.Id}: {Replies.Count(story.ItemCount, "article")} from {Replies.Count(story.Sources.Count, "outlet")}{merged}{splitFrom}{splitOff}", entries);
    }

    /// <summary>The refusal for a story number that names no story this chat can see (<see cref="CommunityScopes.StoryAsync"/>).</summary>
    public static CommandReply NoStory(long id) => CommandReply.Refuse($"There is no story #{id} in this chat's feeds.");

    public async Task<CommandReply> StatusAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        var feeds = await communityStore.GetCommunityFeedsAsync(request.CommunityId, cancellationToken);
        text.Append(CultureInfo.InvariantCulture, $"Feeds ({feeds.Count}):");
        foreach (var (feed, _) in feeds)
        {
            var state = feed.IsPaused ? $"paused: {feed.PausedReason}"
                : feed.LastError is { } error ? $"failing ({feed.ConsecutiveFailures}×): {error}"
                : feed.LastSuccessAt is null ? "not polled yet" : "ok";
            text.Append(CultureInfo.InvariantCulture, $"\n• {feed.Name} — {state}; last success {When(feed.LastSuccessAt)}");
        }

        var channel = request.Channel;
        var next = channel.PausedReason is null ? schedules.Next(channel.Schedule, channel.TimeZone, now) : null;
        text.Append(CultureInfo.InvariantCulture, $"\nThis chat: last digest {When(channel.LastDigestAt)}; next {(next is { } n ? Schedules.Describe(n, channel.TimeZone) : "none scheduled")}.");

        var paused = (await deliveryStore.GetChannelsAsync(cancellationToken))
            .Where(c => c.CommunityId == request.CommunityId && c.PausedReason is not null)
            .ToList();
        foreach (var c in paused)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nPaused: {c.Platform} {c.ShownAddress} — {c.PausedReason}");
        }

        await AppendDeliveryAsync(text, request.CommunityId, cancellationToken);
        return CommandReply.Say(text.ToString());
    }

    /// <summary>
    /// The community's channels whose messages are failing (how many wait, the next attempt, the last error) and the
    /// latest messages set aside, with why.
    /// </summary>
    private async Task AppendDeliveryAsync(StringBuilder text, string communityId, CancellationToken cancellationToken)
    {
        var channels = (await deliveryStore.GetChannelsAsync(cancellationToken)).Where(c => c.CommunityId == communityId).ToDictionary(c => c.Id);
        foreach (var backlog in await deliveryStore.GetOutboxBacklogAsync(cancellationToken))
        {
            if (backlog is { Waiting: > 0, LastError: { } error } && channels.TryGetValue(backlog.ChannelId, out var channel))
            {
                text.Append(CultureInfo.InvariantCulture, $"\nWaiting: {channel.Platform} {channel.ShownAddress} — {Messages(backlog.Waiting)}; next attempt {When(backlog.NextAttemptAt)}; last error: {error}");
            }
        }

        foreach (var message in (await deliveryStore.GetSetAsideAsync(100, cancellationToken)).Where(m => channels.ContainsKey(m.ChannelId)).Take(5))
        {
            var channel = channels[message.ChannelId];
            text.Append(CultureInfo.InvariantCulture, $"\nSet aside: {message.Kind} to {channel.Platform} {channel.ShownAddress}, queued {When(message.CreatedAt)} — {message.Reason}");
        }
    }

    private static string Messages(int count) => count == 1 ? "1 message" : string.Create(CultureInfo.InvariantCulture, $"{count} messages");

    private static string When(DateTimeOffset? at) => at is { } value ? value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";
}
