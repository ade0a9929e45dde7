using System.Globalization;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Commands;

/// <summary>/topic, /schedule and /feedback: how a community tunes what it gets and when.</summary>
internal sealed class CommunityCommands(CommunityScopes scopes, IDeliveryStore deliveryStore, ICommunityStore communityStore, IDigestScheduling scheduling, Schedules schedules, IOptions<DigestOptions> options, TimeProvider time)
{
    public const int PhraseMaxLength = 100;
    public const int PhrasesMax = 50;

    public async Task<CommandReply> TopicAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments);
        var action = words.Count > 0 ? words[0].ToLowerInvariant() : "show";
        var phrase = CommandParser.Phrase(request.Arguments);
        var topic = await communityStore.GetTopicSettingsAsync(request.CommunityId, cancellationToken);
        switch (action)
        {
            case "show":
                return CommandReply.Say(Describe(topic));
            case "include" or "exclude":
                if (CheckNewPhrase(phrase, $"/topic {action}") is { } bad)
                {
                    return bad;
                }

                var list = action == "include" ? topic.Include : topic.Exclude;
                if (list.Contains(phrase, StringComparer.OrdinalIgnoreCase))
                {
                    return CommandReply.Refuse($"“{phrase}” is already on the {action} list.");
                }

                if (list.Count >= PhrasesMax)
                {
                    return CommandReply.Refuse(string.Create(CultureInfo.InvariantCulture, $"The {action} list holds at most {PhrasesMax} phrases; remove one first."));
                }

                // A phrase lives on one list: including it takes it off the exclude list and the other way round.
                var include = topic.Include.Where(p => !p.Equals(phrase, StringComparison.OrdinalIgnoreCase)).ToList();
                var exclude = topic.Exclude.Where(p => !p.Equals(phrase, StringComparison.OrdinalIgnoreCase)).ToList();
                (action == "include" ? include : exclude).Add(phrase);
                topic = topic with { Include = include, Exclude = exclude };
                await communityStore.SetTopicSettingsAsync(request.CommunityId, topic, cancellationToken);
                return CommandReply.Say($"Stories mentioning “{phrase}” are now {(action == "include" ? "always kept" : "dropped")}.\n{Describe(topic)}");
            case "remove":
                if (CheckPhrase(phrase, "/topic remove") is { } badRemove)
                {
                    return badRemove;
                }

                var kept = topic with
                {
                    Include = topic.Include.Where(p => !p.Equals(phrase, StringComparison.OrdinalIgnoreCase)).ToList(),
                    Exclude = topic.Exclude.Where(p => !p.Equals(phrase, StringComparison.OrdinalIgnoreCase)).ToList(),
                };
                if (kept.Include.Count == topic.Include.Count && kept.Exclude.Count == topic.Exclude.Count)
                {
                    return CommandReply.Refuse($"“{phrase}” is on neither list. /topic show lists them.");
                }

                await communityStore.SetTopicSettingsAsync(request.CommunityId, kept, cancellationToken);
                return CommandReply.Say($"Removed “{phrase}”.\n{Describe(kept)}");
            case "threshold":
                var value = words.Count == 2 ? words[1] : "";
                if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
                {
                    topic = topic with { Threshold = null };
                }
                else if (words.Count == 2 && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) && threshold is >= 0 and <= 1)
                {
                    topic = topic with { Threshold = threshold == 0 ? 0 : threshold }; // "-0" is read as negative zero, shown "-0"
                }
                else
                {
                    return CommandReply.Refuse($"/topic threshold takes one number from 0 to 1 (such as 0.6), or off; not '{CommandParser.Shown(string.Join(' ', words.Skip(1)))}'.");
                }

                await communityStore.SetTopicSettingsAsync(request.CommunityId, topic, cancellationToken);
                return CommandReply.Say(Describe(topic));
            default:
                return CommandReply.Refuse($"'{CommandParser.Shown(words[0])}' is not a /topic action. Use /topic show, include <phrase>, exclude <phrase>, remove <phrase> or threshold <0..1|off>.");
        }
    }

    internal static CommandReply? CheckPhrase(string phrase, string command) =>
        phrase.Length == 0 ? CommandReply.Refuse($"{command} needs a phrase, for example: {command} \"security guarantees\"")
        : phrase.Length > PhraseMaxLength ? CommandReply.Refuse(string.Create(CultureInfo.InvariantCulture, $"A phrase is at most {PhraseMaxLength} characters; that one has {phrase.Length}."))
        : null;

    /// <summary>A phrase to match from now on: a single letter ("a") would match a word in almost every story.</summary>
    internal static CommandReply? CheckNewPhrase(string phrase, string command) =>
        CheckPhrase(phrase, command)
        ?? (phrase.Count(char.IsLetterOrDigit) < 2 ? CommandReply.Refuse($"“{phrase}” would match almost every story: a phrase needs at least two letters or digits.") : null);

    private static string Describe(TopicSettings topic) =>
        $"Always kept: {List(topic.Include)}\nDropped: {List(topic.Exclude)}\nThreshold: {(topic.Threshold is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) : "off (every story the classifier keeps)")}";

    private static string List(IReadOnlyList<string> phrases) => phrases.Count == 0 ? "—" : string.Join(", ", phrases.Select(p => $"“{p}”"));

    /// <summary>
    /// Sets when this chat gets its digest: in words or cron, no more often than <see cref="DigestOptions.MinScheduleInterval"/>.
    /// The reply shows the schedule in words and its next run.
    /// </summary>
    public async Task<CommandReply> ScheduleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var channel = request.Channel;
        var words = CommandParser.Words(request.Arguments);
        if (words.Count == 0)
        {
            return CommandReply.Say($"This chat's digest: {Show(channel.Schedule, channel.TimeZone)}.\nChange it with {Schedules.Examples}; a cron expression works too.");
        }

        var spec = schedules.Parse(words, channel.TimeZone, out var error);
        error ??= schedules.CheckInterval(spec, options.Value.MinScheduleInterval, time.GetUtcNow());
        if (error is not null)
        {
            return CommandReply.Refuse(error);
        }

        await deliveryStore.SetChannelScheduleAsync(channel.Id, spec.Cron, spec.TimeZone, cancellationToken);
        await scheduling.ScheduleChannelAsync(channel with { Schedule = spec.Cron, TimeZone = spec.TimeZone }, cancellationToken);
        return CommandReply.Say(spec.Cron == Schedules.Off ? "Digests for this chat are off. /schedule daily 08:00 turns them back on." : $"Done. This chat's digest: {Show(spec.Cron, spec.TimeZone)}.");
    }

    /// <summary>"daily at 08:00 (Europe/Kyiv); next: Mon 2 Mar 2026 08:00 (Europe/Kyiv)".</summary>
    private string Show(string cron, string zone) =>
        schedules.Next(cron, zone, time.GetUtcNow()) is { } next ? $"{Schedules.InWords(cron)} ({zone}); next: {Schedules.Describe(next, zone)}" : "off";

    public async Task<CommandReply> FeedbackAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments);
        if (words.Count != 2 || !long.TryParse(words[0].TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var storyId))
        {
            return CommandReply.Refuse("/feedback takes a story number and good or bad, for example: /feedback 42 bad");
        }

        var verdict = words[1].ToLowerInvariant();
        if (verdict is not ("good" or "bad"))
        {
            return CommandReply.Refuse($"Say good or bad, not '{CommandParser.Shown(words[1])}': /feedback {storyId} good");
        }

        if (await scopes.StoryAsync(request.CommunityId, storyId, cancellationToken) is not ({ } story, _))
        {
            return ReadCommands.NoStory(storyId);
        }

        await communityStore.RecordFeedbackAsync(new FeedbackRecord(story.Id, verdict, request.CommunityId, request.Caller.UserId, time.GetUtcNow()), cancellationToken);
        return CommandReply.Say($"Thanks — noted that “{story.Title}” is {(verdict == "good" ? "on topic" : "off topic")}. The classifier learns from this when it is retrained.");
    }
}
