using System.Security.Claims;
using Digest.Core.Commands;
using Digest.Core.Storage;
using Digest.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Digest.Web.Admin;

/// <summary>
/// A page of one community's panel. Every request asks <see cref="ModeratorAccess"/> first: a logged-in user who does not
/// moderate the community gets 403 and sees nothing of it. Changes go through the chat commands' own code
/// (<see cref="CommandDispatcher"/>), as if the moderator had typed them in the community's chat.
/// </summary>
internal abstract class CommunityPage(ModeratorAccess access, IDeliveryStore deliveries, CommandDispatcher commands) : PageModel
{
    public string Community { get; private set; } = "";

    protected IDeliveryStore DeliveryStore => deliveries;

    /// <summary>What the last change answered (the command's reply), shown above the page.</summary>
    public CommandReply? Reply { get; protected set; }

    /// <summary>Null when the caller moderates <paramref name="community"/>; otherwise the 403 to return.</summary>
    protected async Task<IActionResult?> DenyUnlessModeratorAsync(string community, CancellationToken cancellationToken)
    {
        Community = community;
        if (await access.CanModerateAsync(User, community, cancellationToken))
        {
            return null;
        }

        var forbidden = Partial("_Forbidden", community);
        forbidden.StatusCode = StatusCodes.Forbidden;
        return forbidden;
    }

    /// <summary>The community's channels (chats, or Discord channels, where its digests go).</summary>
    protected async Task<IReadOnlyList<ChannelRecord>> ChannelsAsync(CancellationToken cancellationToken) =>
        (await DeliveryStore.GetChannelsAsync(cancellationToken)).Where(c => c.CommunityId == Community).ToList();

    /// <summary>Runs a chat command for the community as its moderator, in <paramref name="channel"/> or the community's first channel.</summary>
    protected async Task<CommandReply> RunCommandAsync(string name, string arguments, ChannelRecord? channel, CancellationToken cancellationToken)
    {
        channel ??= (await ChannelsAsync(cancellationToken)).FirstOrDefault();
        if (channel is null)
        {
            return CommandReply.Refuse("This community has no chat the bot knows any more.");
        }

        var caller = new CommandCaller(User.FindFirstValue(Session.UserIdClaim) ?? "", User.Identity?.Name ?? "", "");
        var request = new CommandRequest(name, arguments, caller, Community, channel, CallerRights.Moderator, new ChannelDefaults(channel.Schedule, channel.TimeZone));
        return await commands.HandleAsync(request, cancellationToken);
    }

    private static class StatusCodes
    {
        public const int Forbidden = 403;
    }
}
