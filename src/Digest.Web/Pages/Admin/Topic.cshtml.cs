using System.Globalization;
using Digest.Core.Classification;
using Digest.Core.Commands;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>
/// A community's topic: include, exclude, threshold — applied through <c>/topic</c> — with a preview of what the stories
/// of the last 7 days (seen in them) would keep or drop under the proposed change, beside what they keep now.
/// </summary>
internal sealed class TopicModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, ICommunityStore communities, IStoryStore stories, IItemStore items, CommunityScopes scopes, TopicProfile profile, TimeProvider time)
    : CommunityPage(access, deliveries, commands)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public sealed record Row(StoryRecord Story, bool KeptNow, bool KeptThen);

    public TopicSettings Settings { get; private set; } = TopicSettings.Default;

    public TopicSettings? Proposed { get; private set; }

    public double DefaultThreshold => profile.Threshold;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Rescued { get; private set; }

    public string Action { get; private set; } = "include";

    public string? Value { get; private set; }

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken) =>
        await DenyUnlessModeratorAsync(community, cancellationToken) ?? await ShowAsync(null, cancellationToken);

    public async Task<IActionResult> OnPostPreviewAsync(string community, string action, string value, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        (Action, Value) = (action, value);
        var current = await communities.GetTopicSettingsAsync(community, cancellationToken);
        var (proposed, problem) = Propose(current, action, value.Trim());
        if (proposed is null)
        {
            Reply = CommandReply.Refuse(problem!);
        }

        return await ShowAsync(proposed, cancellationToken);
    }

    public async Task<IActionResult> OnPostApplyAsync(string community, string action, string value, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        Reply = action is "include" or "exclude" or "remove" or "threshold"
            ? await RunCommandAsync("topic", $"{action} {value.Trim()}", null, cancellationToken)
            : CommandReply.Refuse($"'{action}' is not a topic change.");
        return await ShowAsync(null, cancellationToken);
    }

    /// <summary>The settings <c>/topic</c> would leave (the command itself decides what is valid when applied).</summary>
    private static (TopicSettings? Settings, string? Problem) Propose(TopicSettings current, string action, string value)
    {
        if (value.Length == 0)
        {
            return (null, "Give a phrase or a threshold to preview.");
        }

        bool Same(string p) => string.Equals(p, value, StringComparison.OrdinalIgnoreCase);
        return action switch
        {
            "include" => (current with { Include = [.. current.Include.Where(p => !Same(p)), value], Exclude = current.Exclude.Where(p => !Same(p)).ToList() }, null),
            "exclude" => (current with { Exclude = [.. current.Exclude.Where(p => !Same(p)), value], Include = current.Include.Where(p => !Same(p)).ToList() }, null),
            "remove" => (current with { Include = current.Include.Where(p => !Same(p)).ToList(), Exclude = current.Exclude.Where(p => !Same(p)).ToList() }, null),
            "threshold" when value.Equals("off", StringComparison.OrdinalIgnoreCase) => (current with { Threshold = null }, null),
            "threshold" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 1 => (current with { Threshold = t }, null),
            "threshold" => (null, $"A threshold is a number from 0 to 1, or off — not '{value}'."),
            _ => (null, $"'{action}' is not a topic change."),
        };
    }

    private async Task<IActionResult> ShowAsync(TopicSettings? proposed, CancellationToken cancellationToken)
    {
        var scope = await scopes.ForAsync(Community, cancellationToken);
        Settings = scope.Topic;
        Proposed = proposed;
        var since = time.GetUtcNow() - Window;
        var recent = await stories.GetStoriesAsync(new StoryQuery(500, SeenAfter: since, FeedIds: scope.FeedIds), cancellationToken);
        var then = proposed is null ? scope : scope with { Topic = proposed };
        Rows = recent.Select(s => new Row(s, scope.Admits(s), then.Admits(s))).ToList();

        // Items the classifier rejected become stories when an included phrase names them: count what the change adds.
        var added = proposed?.Include.Except(Settings.Include, StringComparer.OrdinalIgnoreCase).ToList() ?? [];
        if (added.Count > 0)
        {
            var feeds = scope.FeedIds?.ToHashSet();
            Rescued = (await items.GetItemsSinceAsync(since, cancellationToken))
                .Count(i => i.Relevance is { Relevant: false } && (feeds is null || feeds.Contains(i.FeedId)) && added.Any(p => TopicFilter.Mentions([i.Item.Title, i.Item.Summary], p)));
        }

        return Page();
    }
}
