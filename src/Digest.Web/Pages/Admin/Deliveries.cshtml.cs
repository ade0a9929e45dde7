using Digest.Core.Commands;
using Digest.Core.Delivery;
using Digest.Core.Storage;
using Digest.Web.Admin;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Digest.Web.Pages.Admin;

/// <summary>What waits in the outbox for the community's chats, with each message's attempts and last error; "retry" wakes the chat's delivery loop now.</summary>
internal sealed class DeliveriesModel(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands, OutboxSignal outbox)
    : CommunityPage(access, deliveries, commands)
{
    public sealed record Row(ChannelRecord Channel, OutboxMessage Message);

    public sealed record SetAsideRow(ChannelRecord Channel, SetAsideMessage Message);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    /// <summary>Messages given up after <c>Delivery:MaxAttempts</c> failures or a refusal, with the reason: the chat went on without them.</summary>
    public IReadOnlyList<SetAsideRow> SetAside { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string community, CancellationToken cancellationToken) =>
        await DenyUnlessModeratorAsync(community, cancellationToken) ?? await ShowAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string community, long channelId, CancellationToken cancellationToken)
    {
        if (await DenyUnlessModeratorAsync(community, cancellationToken) is { } denied)
        {
            return denied;
        }

        var channel = (await ChannelsAsync(cancellationToken)).FirstOrDefault(c => c.Id == channelId);
        if (channel is null)
        {
            Reply = CommandReply.Refuse("That chat is not one of this community's.");
        }
        else
        {
            // The chat's delivery loop sends it (in order, with the platform's limits); the request does not wait on the platform.
            outbox.Wake(channel.Id);
            Reply = CommandReply.Say("The chat's waiting messages are being sent again now; reload to see what is left.");
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        var channels = await ChannelsAsync(cancellationToken);
        foreach (var channel in channels)
        {
            rows.AddRange((await DeliveryStore.GetPendingAsync(channel.Id, 50, cancellationToken)).Select(m => new Row(channel, m)));
        }

        Rows = rows;
        var byId = channels.ToDictionary(c => c.Id);
        SetAside = (await DeliveryStore.GetSetAsideAsync(200, cancellationToken))
            .Where(m => byId.ContainsKey(m.ChannelId))
            .Select(m => new SetAsideRow(byId[m.ChannelId], m))
            .ToList();
        return Page();
    }
}
