using Digest.Core.Commands;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>Each chat of the community with its schedule and next three runs; a new schedule goes through <c>/schedule</c> in that chat.</summary>
internal sealed class SchedulesModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, Schedules schedules, TimeProvider time)
    : CommunityPage(access, deliveries, commands)
{
    public sealed record Row(ChannelRecord Channel, IReadOnlyList<string> Next);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken) =>
        await DenyUnlessModeratorAsync(community, cancellationToken) ?? await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string community, long channelId, string schedule, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        var channel = (await ChannelsAsync(cancellationToken)).FirstOrDefault(c => c.Id == channelId);
        Reply = channel is null
            ? CommandReply.Refuse("That chat is not one of this community's.")
            : await RunCommandAsync("schedule", schedule.Trim(), channel, cancellationToken);
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Rows = (await ChannelsAsync(cancellationToken)).Select(c => new Row(c, NextRuns(c, now))).ToList();
        return Page();
    }

    private List<string> NextRuns(ChannelRecord channel, DateTimeOffset now)
    {
        var runs = new List<string>();
        var after = now;
        while (runs.Count < 3 && schedules.Next(channel.Schedule, channel.TimeZone, after) is { } next)
        {
            runs.Add(Schedules.Describe(next, channel.TimeZone));
            after = next;
        }

        return runs;
    }
}
