using Digest.Core.Digests;
using Digest.Web.Public;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Digest.Web.Pages;

/// <summary>A community's public page: only when its moderators turned it on in the panel; 404 otherwise, so a private community's existence is not revealed.</summary>
internal sealed class CommunityModel(LatestStories latest) : PageModel
{
    public string Community { get; private set; } = "";

    public DigestModel? Digest { get; private set; }

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken)
    {
        Community = community;
        Digest = await latest.CommunityAsync(community, PublicFeeds.Count, cancellationToken);
        return Digest is null ? NotFound() : Page();
    }
}
