using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Feeds;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Digest.Web.Public;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>A community's feeds: follow one (with the <c>feeds check</c> preview first), mute or remove one, see each one's health; the public page switch.</summary>
internal sealed class FeedsModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, ICommunityStore communities, FeedFetcher fetcher, LatestStories latest, TimeProvider time)
    : CommunityPage(access, deliveries, commands)
{
    public IReadOnlyList<CommunityFeed> Feeds { get; private set; } = [];

    public FeedPreview? Preview { get; private set; }

    public string? PreviewError { get; private set; }

    public string? FeedUrl { get; private set; }

    public string? FeedName { get; private set; }

    public bool IsPublic { get; private set; }

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken) =>
        await DenyUnlessModeratorAsync(community, cancellationToken) ?? await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostPreviewAsync(string community, string url, string? name, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        (FeedUrl, FeedName) = (url, name);
        (Preview, PreviewError) = await FeedPreview.LoadAsync(fetcher, url.Trim(), time, cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(string community, string url, string? name, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        Reply = await RunCommandAsync("feeds", string.IsNullOrWhiteSpace(name) ? $"add {url.Trim()}" : $"add {url.Trim()} {name.Trim()}", null, cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string community, long feedId, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        Reply = await RunCommandAsync("feeds", "remove " + feedId.ToString(CultureInfo.InvariantCulture), null, cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    /// <summary>Mutes or unmutes a feed for this community, through the same command as <c>/feeds mute|unmute</c>.</summary>
    public async Task<IActionResult> OnPostMuteAsync(string community, long feedId, bool on, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        Reply = await RunCommandAsync("feeds", (on ? "mute " : "unmute ") + feedId.ToString(CultureInfo.InvariantCulture), null, cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostPublicAsync(string community, bool on, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        await latest.SetPublicAsync(community, on, cancellationToken);
        Reply = CommandReply.Say(on ? "The public page is on." : "The public page is off.");
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Feeds = await communities.GetCommunityFeedsAsync(Community, cancellationToken);
        IsPublic = await latest.IsPublicAsync(Community, cancellationToken);
        return Page();
    }
}
