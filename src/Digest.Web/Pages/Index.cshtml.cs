using Digest.Core.Digests;
using Digest.Web.Public;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Digest.Web.Pages;

internal sealed class IndexModel(LatestStories latest) : PageModel
{
    public DigestModel Digest { get; private set; } = new(DateTimeOffset.UnixEpoch, [], null);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Digest = await latest.DefaultAsync(cancellationToken);
}
