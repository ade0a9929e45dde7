using Microsoft.Extensions.Logging;

namespace Digest.Core.Commands;

/// <summary>
/// The one place commands are handled, for every platform: checks the caller's rights, runs the command, and turns an
/// unexpected failure into a reply (logged) so one bad command never stops the adapter.
/// </summary>
internal sealed partial class CommandDispatcher(
    ReadCommands read,
    FeedCommands feeds,
    CommunityCommands community,
    SubscriptionCommands subscriptions,
    ILogger<CommandDispatcher> logger)
{
    public async Task<CommandReply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var info = CommandCatalog.Find(request.Name);
        if (info is null)
        {
            return CommandReply.Refuse($"I don't know /{request.Name}. /help lists what I can do.");
        }

        if (info.Access == CallerRights.Moderator && request.Rights != CallerRights.Moderator)
        {
            return CommandReply.Refuse($"Sorry, /{request.Name} is for this chat's moderators (its owner and administrators).");
        }

        try
        {
            return request.Name switch
            {
                "help" => ReadCommands.Help(request),
                "latest" => await read.LatestAsync(request, cancellationToken),
                "digest" => await read.DigestAsync(request, cancellationToken),
                "search" => await read.SearchAsync(request, cancellationToken),
                "story" => await read.StoryAsync(request, cancellationToken),
                "status" => await read.StatusAsync(request, cancellationToken),
                "subscribe" => await subscriptions.SubscribeAsync(request, cancellationToken) with { Private = true },
                "unsubscribe" => await subscriptions.UnsubscribeAsync(request, cancellationToken) with { Private = true },
                "alerts" => await subscriptions.AlertsAsync(request, cancellationToken) with { Private = true },
                "feeds" => await feeds.HandleAsync(request, cancellationToken),
                "topic" => await community.TopicAsync(request, cancellationToken),
                "schedule" => await community.ScheduleAsync(request, cancellationToken),
                "feedback" => await community.FeedbackAsync(request, cancellationToken),

                // The Discord adapter handles /webhook itself (a webhook URL is a Discord thing); elsewhere it is refused.
                "webhook" => CommandReply.Refuse("Webhooks are a Discord feature: /webhook works in a Discord channel."),
                _ => CommandReply.Refuse($"I don't know /{request.Name}."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, request.Name, request.Channel.Platform, request.Channel.ShownAddress);
            return CommandReply.Say($"Something went wrong with /{request.Name} on my side; it is logged. Please try again later.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "/{Command} failed in {Platform} {ChannelAddress}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string command, string platform, string channelAddress);
}
