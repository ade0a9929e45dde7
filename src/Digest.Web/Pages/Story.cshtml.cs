using Digest.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Digest.Web.Pages;

/// <summary>One story: its key lines, sources and the timeline of its reports.</summary>
internal sealed class StoryModel(IStoryStore stories, IItemStore items) : PageModel
{
    public StoryRecord? Story { get; private set; }

    public IReadOnlyList<StoredItem> Items { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Story = await stories.GetStoryAsync(id, cancellationToken);
        if (Story is null)
        {
            return NotFound();
        }

        if (Story.Id != id)
        {
            // Merged into another story (the same event): its address leads there.
            return RedirectToPage(new { id = Story.Id });
        }

        Items = (await items.GetStoryItemsAsync(id, cancellationToken)).OrderBy(i => i.Item.Published).ThenBy(i => i.Id).ToList();
        return Page();
    }
}
