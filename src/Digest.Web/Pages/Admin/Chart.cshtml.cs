using System.Globalization;
using Digest.Core.Commands;
using Digest.Core.Digests;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>Items and relevant items per day (by arrival) and per feed over the last 14 days, drawn as a server-side SVG.</summary>
internal sealed class ChartModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, IItemStore items, CommunityScopes scopes, TimeProvider time)
    : CommunityPage(access, deliveries, commands)
{
    public const int Days14 = 14;

    public sealed record DayRow(string Day, int Items, int Relevant);

    public sealed record FeedRow(string Feed, int Items, int Relevant);

    public IReadOnlyList<DayRow> Days { get; private set; } = [];

    public IReadOnlyList<FeedRow> Feeds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        var scope = await scopes.ForAsync(community, cancellationToken);
        var feeds = scope.FeedIds?.ToHashSet();
        var today = time.GetUtcNow().UtcDateTime.Date;
        var since = new DateTimeOffset(today.AddDays(-(Days14 - 1)), TimeSpan.Zero);
        var recent = (await items.GetItemsSinceAsync(since, cancellationToken)).Where(i => feeds is null || feeds.Contains(i.FeedId)).ToList();
        Days = Enumerable.Range(0, Days14)
            .Select(d => since.AddDays(d))
            .Select(day => recent.Where(i => i.FirstSeen >= day && i.FirstSeen < day.AddDays(1)).ToList() is var on
                ? new DayRow(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), on.Count, on.Count(i => i.Relevance is { Relevant: true }))
                : null!)
            .ToList();
        Feeds = recent.GroupBy(i => i.FeedName)
            .Select(g => new FeedRow(g.Key, g.Count(), g.Count(i => i.Relevance is { Relevant: true })))
            .OrderByDescending(f => f.Items)
            .ToList();
        return Page();
    }

    /// <summary>The bar chart as inline SVG (nothing fetched): each day's items, its relevant items drawn over them.</summary>
    public string Svg()
    {
        const int barWidth = 36, height = 160, top = 20;
        var max = Math.Max(1, Days.Count == 0 ? 1 : Days.Max(d => d.Items));
        var width = Math.Max(1, Days.Count) * barWidth + 40;
        var svg = new System.Text.StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-labelledby=\"chart-title\" width=\"{width}\" height=\"{height + top + 40}\" viewBox=\"0 0 {width} {height + top + 40}\">");
        svg.Append("<title id=\"chart-title\">Items and relevant items per day</title>");
        for (var i = 0; i < Days.Count; i++)
        {
            var day = Days[i];
            var all = (int)Math.Round((double)day.Items / max * height);
            var relevant = (int)Math.Round((double)day.Relevant / max * height);
            var x = 30 + i * barWidth;
            var middle = x + (barWidth - 8) / 2;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + height - all}\" width=\"{barWidth - 8}\" height=\"{all}\" fill=\"#9bb8da\"><title>{day.Day}: {day.Items} items</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{top + height - relevant}\" width=\"{barWidth - 8}\" height=\"{relevant}\" fill=\"#0b4f9c\"><title>{day.Day}: {day.Relevant} relevant</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{middle}\" y=\"{top + height + 14}\" font-size=\"10\" text-anchor=\"middle\">{day.Day[5..]}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{middle}\" y=\"{top + height - all - 4}\" font-size=\"10\" text-anchor=\"middle\">{day.Items}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"28\" y1=\"{top + height}\" x2=\"{width}\" y2=\"{top + height}\" stroke=\"#1a1a1a\" /></svg>");
        return svg.ToString();
    }
}
