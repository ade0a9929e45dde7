using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using Digest.Core.Feeds;
using Digest.Core.Pipeline;
using Digest.Core.Storage;
using Microsoft.Extensions.Options;

namespace Digest.Core.Commands;

/// <summary>/feeds add|remove|mute|unmute|list|import|export: a community's own feeds, next to the configured ones every community has.</summary>
internal sealed class FeedCommands(IFeedStore feedStore, ICommunityStore communityStore, FeedFetcher fetcher, FeedPoller poller, IDigestScheduling scheduling, IOptions<FeedsOptions> options, TimeProvider time)
{
    /// <summary>The most feeds one /feeds import adds.</summary>
    public const int ImportMax = 50;

    /// <summary>The longest name a moderator may give a feed: it heads every story's outlets, /feeds list and /status.</summary>
    public const int NameMax = 100;

    private const string Usage = "Use /feeds add <url> [name], /feeds remove <id>, /feeds mute <id>, /feeds unmute <id>, /feeds list, /feeds import <OPML url> (or attach an OPML file), /feeds export.";

    public async Task<CommandReply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = CommandParser.Words(request.Arguments);
        var sub = words.Count > 0 ? words[0].ToLowerInvariant() : "";
        return sub switch
        {
            "add" when words.Count >= 2 => await AddAsync(request, words[1], words.Count > 2 ? string.Join(' ', words.Skip(2)) : null, cancellationToken),
            "add" => CommandReply.Refuse("/feeds add needs the address of a feed or a web page, for example: /feeds add https://example.org/news"),
            "remove" when words.Count == 2 => await RemoveAsync(request, words[1], cancellationToken),
            "remove" => CommandReply.Refuse("/feeds remove takes one feed: its number from /feeds list, or its URL."),
            "mute" or "unmute" when words.Count == 2 => await MuteAsync(request, words[1], sub == "mute", cancellationToken),
            "mute" or "unmute" => CommandReply.Refuse($"/feeds {sub} takes one feed: its number from /feeds list, or its URL."),
            "list" => await ListAsync(request, cancellationToken),
            "import" => await ImportAsync(request, words.Count > 1 ? words[1] : null, cancellationToken),
            "export" => await ExportAsync(request, cancellationToken),
            "" => CommandReply.Refuse(Usage),
            _ => CommandReply.Refuse($"'{CommandParser.Shown(words[0])}' is not a /feeds action. {Usage}"),
        };
    }

    private async Task<CommandReply> AddAsync(CommandRequest request, string address, string? name, CancellationToken cancellationToken)
    {
        var added = await AddOneAsync(request, address, name, cancellationToken);
        if (added.Error is { } error)
        {
            return CommandReply.Refuse(error);
        }

        return added.Preview is { } preview ? new CommandReply(added.Message, [PreviewEntry(preview)]) : CommandReply.Say(added.Message);
    }

    /// <summary>The feed's preview as <c>digest feeds check</c> gives it, cut to the first entries for a chat.</summary>
    private static ReplyEntry PreviewEntry(FeedPreview preview)
    {
        var lines = preview.Items.Take(FeedPreview.ChatItems)
            .Select(i => (i.Published is { } date ? date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "no date") + " — " + i.Title)
            .ToList();
        if (preview.Items.Count > FeedPreview.ChatItems)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"… and {preview.Items.Count - FeedPreview.ChatItems} more"));
        }

        lines.AddRange(preview.Warnings.Select(w => "⚠ " + w));
        var count = string.Create(CultureInfo.InvariantCulture, $"{preview.Items.Count} {(preview.Items.Count == 1 ? "item" : "items")}");
        return new ReplyEntry(preview.Title ?? "(untitled feed)", SafeUrl.Redact(preview.FeedUrl), $"{preview.Format} · {preview.Encoding} · {count}", lines);
    }

    private sealed record AddOutcome(string Message, string? Error, FeedPreview? Preview = null);

    private async Task<AddOutcome> AddOneAsync(CommandRequest request, string address, string? name, CancellationToken cancellationToken)
    {
        var outcome = await AddOrRefuseAsync(request, address, name, cancellationToken);
        return outcome with { Message = SafeUrl.RedactIn(outcome.Message), Error = outcome.Error is null ? null : SafeUrl.RedactIn(outcome.Error) };
    }

    private async Task<AddOutcome> AddOrRefuseAsync(CommandRequest request, string address, string? name, CancellationToken cancellationToken)
    {
        if (CheckAddress(address) is { } refused)
        {
            return new AddOutcome("", refused);
        }

        if (name?.Trim() is { Length: > NameMax } tooLong)
        {
            return new AddOutcome("", string.Create(CultureInfo.InvariantCulture, $"A feed's name is at most {NameMax} characters; that one has {tooLong.Length}."));
        }

        // The preview a moderator sees is read exactly as polling will read it: same fetcher, guard, limits and discovery.
        var (preview, problem) = await FeedPreview.LoadAsync(fetcher, address, time, cancellationToken);
        if (preview is null)
        {
            return new AddOutcome("", $"{CommandParser.Shown(SafeUrl.Redact(address))} is not a feed I can read: {problem}");
        }

        var feedUrl = preview.FeedUrl;
        var title = string.IsNullOrWhiteSpace(name) ? preview.Title ?? FeedCatalog.NameFor(feedUrl) : name.Trim();
        var link = await communityStore.AddCommunityFeedAsync(request.CommunityId, feedUrl, title, options.Value.DefaultInterval, request.Caller.UserId, cancellationToken);
        switch (link.State)
        {
            case CommunityFeedState.Configured:
                return new AddOutcome($"{link.Feed.Name} ({feedUrl}) is configured for every community already.", null);
            case CommunityFeedState.AlreadyFollowed:
                return new AddOutcome($"This community follows {link.Feed.Name} already (feed #{link.Feed.Id}).", null);
            case CommunityFeedState.Linked:
                await scheduling.ScheduleFeedAsync(link.Feed, cancellationToken);
                return new AddOutcome($"Now following {link.Feed.Name} (feed #{link.Feed.Id}); another community follows it too, so it is fetched once for both.", null, preview);
        }

        // A new feed: its current items are stored as backlog at once — searchable now, never alerted on.
        var report = await poller.PollAsync(link.Feed, cancellationToken);
        await scheduling.ScheduleFeedAsync(await feedStore.GetFeedAsync(link.Feed.Id, cancellationToken) ?? link.Feed, cancellationToken);
        return report.Error is { } pollError
            ? new AddOutcome($"Added {link.Feed.Name} (feed #{link.Feed.Id}), but its first poll failed: {pollError}. I'll keep trying.", null, preview)
            : new AddOutcome(string.Create(CultureInfo.InvariantCulture, $"Added {link.Feed.Name} (feed #{link.Feed.Id}): its {report.Stored} current {(report.Stored == 1 ? "item is" : "items are")} stored as backlog — searchable now, but never in a digest or an alert. Items it publishes from now on reach the digest."), null, preview);
    }

    private static bool IsWebAddress(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>
    /// A fast, clear refusal for what the fetcher's guard would refuse at connect time anyway: not http(s), localhost,
    /// or a literal private, loopback, link-local or metadata address.
    /// </summary>
    internal string? CheckAddress(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return $"'{CommandParser.Shown(SafeUrl.Redact(address))}' is not a web address. Give an http:// or https:// URL.";
        }

        if (options.Value.AllowPrivateAddresses)
        {
            return null;
        }

        var host = uri.IdnHost.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return $"Refused: {uri.Host} is this machine; feeds may not reach the host's own network.";
        }

        if (IPAddress.TryParse(host, out var ip) && AddressGuard.WhyBlocked(ip) is { } why)
        {
            return $"Refused: {ip} is a {why} address; feeds may not reach the host's own network.";
        }

        return null;
    }

    /// <summary>The community's feed with that number or URL; null when it follows none such.</summary>
    private static CommunityFeed? Find(IReadOnlyList<CommunityFeed> feeds, string which) =>
        long.TryParse(which.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? feeds.FirstOrDefault(f => f.Feed.Id == id)
            : feeds.FirstOrDefault(f => f.Feed.Url.Equals(which, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// /feeds mute|unmute: a muted feed (configured or the community's own) is still polled and searchable, but its items
    /// bring no story to this community's digests, /latest or alerts.
    /// </summary>
    private async Task<CommandReply> MuteAsync(CommandRequest request, string which, bool mute, CancellationToken cancellationToken)
    {
        var feeds = await communityStore.GetCommunityFeedsAsync(request.CommunityId, cancellationToken);
        if (Find(feeds, which) is not { } target)
        {
            return CommandReply.Refuse($"This community doesn't follow a feed '{CommandParser.Shown(SafeUrl.Redact(which))}'. /feeds list shows the numbers.");
        }

        if (!await communityStore.SetFeedMutedAsync(request.CommunityId, target.Feed.Id, mute, cancellationToken))
        {
            return CommandReply.Refuse($"{target.Feed.Name} (feed #{target.Feed.Id}) is {(mute ? "muted already" : "not muted")}.");
        }

        return CommandReply.Say(mute
            ? $"Muted {target.Feed.Name} (feed #{target.Feed.Id}): its items stay searchable but bring no story to this community. /feeds unmute {target.Feed.Id} lets them back."
            : $"Unmuted {target.Feed.Name} (feed #{target.Feed.Id}): its items reach this community's digests again.");
    }

    private async Task<CommandReply> RemoveAsync(CommandRequest request, string which, CancellationToken cancellationToken)
    {
        var feeds = await communityStore.GetCommunityFeedsAsync(request.CommunityId, cancellationToken);
        if (Find(feeds, which) is not { } target)
        {
            return CommandReply.Refuse($"This community doesn't follow a feed '{CommandParser.Shown(SafeUrl.Redact(which))}'. /feeds list shows the numbers.");
        }

        var result = await communityStore.RemoveCommunityFeedAsync(request.CommunityId, target.Feed.Id, cancellationToken);
        switch (result)
        {
            case FeedUnlinkResult.Configured:
                return CommandReply.Refuse($"{target.Feed.Name} is configured by the operator for every community; it can't be removed from chat.");
            case FeedUnlinkResult.NotFollowed:
                return CommandReply.Refuse($"This community doesn't follow {target.Feed.Name}.");
            case FeedUnlinkResult.Orphaned:
                await scheduling.UnscheduleFeedAsync(target.Feed.Id, cancellationToken);
                break;
        }

        return CommandReply.Say($"Removed {target.Feed.Name} (feed #{target.Feed.Id}).");
    }

    private async Task<CommandReply> ListAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var feeds = await communityStore.GetCommunityFeedsAsync(request.CommunityId, cancellationToken);
        if (feeds.Count == 0)
        {
            return CommandReply.Say("No feeds yet. Add one with /feeds add <url>.");
        }

        var entries = feeds.Select(f => new ReplyEntry(
            string.Create(CultureInfo.InvariantCulture, $"#{f.Feed.Id} {f.Feed.Name}"),
            IsWebAddress(f.Feed.Url) ? SafeUrl.Redact(f.Feed.Url) : null,
            (f.Configured ? "configured for every community" : "added here") + (f.Muted ? " · muted" : "") + (f.Feed.IsPaused ? " · paused" : f.Feed.LastError is not null ? " · failing" : ""),
            [])).ToList();
        return new CommandReply($"This community follows {Replies.Count(feeds.Count, "feed")}:", entries);
    }

    private async Task<CommandReply> ImportAsync(CommandRequest request, string? url, CancellationToken cancellationToken)
    {
        string text;
        if (request.Attachment is { } attached)
        {
            text = attached;
        }
        else if (url is not null)
        {
            if (CheckAddress(url) is { } refused)
            {
                return CommandReply.Refuse(refused);
            }

            var fetched = await fetcher.FetchAsync(new FetchRequest(url), cancellationToken);
            if (fetched.Status != FetchStatus.Ok)
            {
                return CommandReply.Refuse(SafeUrl.RedactIn($"Couldn't fetch {url}: {fetched.Error}"));
            }

            text = Encoding.UTF8.GetString(fetched.Body!);
        }
        else
        {
            return CommandReply.Refuse("/feeds import needs an OPML file: attach it to the command, or give its URL: /feeds import https://example.org/feeds.opml");
        }

        IReadOnlyList<OpmlFeed> outlines;
        try
        {
            outlines = Opml.Parse(text);
        }
        catch (XmlException e)
        {
            return CommandReply.Refuse($"That is not an OPML file I can read: {e.Message}");
        }

        if (outlines.Count == 0)
        {
            return CommandReply.Refuse("The OPML file lists no feeds (no <outline xmlUrl=…>).");
        }

        if (outlines.Count > ImportMax)
        {
            return CommandReply.Refuse(string.Create(CultureInfo.InvariantCulture, $"The OPML file lists {outlines.Count} feeds; one import takes at most {ImportMax}."));
        }

        var lines = new List<string>();
        var ok = 0;
        foreach (var outline in outlines)
        {
            var outcome = await AddOneAsync(request, outline.Url, outline.Name, cancellationToken);
            ok += outcome.Error is null ? 1 : 0;
            lines.Add(outcome.Error ?? outcome.Message);
        }

        return new CommandReply(string.Create(CultureInfo.InvariantCulture, $"Imported {ok} of {outlines.Count} feeds."), [new ReplyEntry("Details", null, null, lines)]);
    }

    private async Task<CommandReply> ExportAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        // A feed the operator configured as a file on the server is no address anyone else can use, and names a server path.
        var feeds = (await communityStore.GetCommunityFeedsAsync(request.CommunityId, cancellationToken)).Where(f => IsWebAddress(f.Feed.Url)).ToList();
        // An export is shared: credentials in a feed's address stay with the bot.
        var opml = Opml.Write("Digest feeds", feeds.Select(f => new OpmlFeed(SafeUrl.Redact(f.Feed.Url), f.Feed.Name)));
        return new CommandReply(feeds.Count == 1 ? "1 feed, as OPML:" : string.Create(CultureInfo.InvariantCulture, $"{feeds.Count} feeds, as OPML:"), [], File: new ReplyFile("feeds.opml", "text/x-opml", opml));
    }
}
