using System.Security.Claims;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Digest.Web.Pages.Admin;

internal sealed class AdminIndexModel(ModeratorAccess access) : PageModel
{
    public IReadOnlyList<string> Communities { get; private set; } = [];

    public string Platform => User.FindFirstValue(Session.PlatformClaim) ?? "";

    public async Task OnGetAsync(CancellationToken cancellationToken) => Communities = await access.CommunitiesAsync(User, cancellationToken);
}
