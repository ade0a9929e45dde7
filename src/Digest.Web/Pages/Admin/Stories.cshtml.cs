using Digest.Core.Commands;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>The stories the community sees (its feeds and topic settings), and full-text search over its articles, as <c>/search</c> does.</summary>
internal sealed class StoriesModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, IStoryStore stories, IItemStore items, CommunityScopes scopes)
    : CommunityPage(access, deliveries, commands)
{
    public string? Query { get; private set; }

    public IReadOnlyList<SearchHit>? Hits { get; private set; }

    public IReadOnlyList<StoryRecord> Latest { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string community, string? q, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        var scope = await scopes.ForAsync(community, cancellationToken);
        Query = q?.Trim();
        if (Query is { Length: > 0 and <= 200 })
        {
            Hits = await items.SearchAsync(Query, scope.FeedIds, 0, 30, cancellationToken);
        }
        else
        {
            Latest = (await stories.GetStoriesAsync(new StoryQuery(100, FeedIds: scope.FeedIds), cancellationToken)).Where(scope.Admits).Take(30).ToList();
        }

        return Page();
    }
}
