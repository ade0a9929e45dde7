using Digest.Discord.Commands;
using Digest.Discord.Messages;
using Digest.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Digest.Discord.Interactions;

/// <summary>An interaction response body: {"type": 1|4|5|6|7|8, "data": …}.</summary>
internal sealed record InteractionCallback(int Type, object? Data = null)
{
    public const int Pong = 1;
    public const int Message = 4;
    public const int DeferredMessage = 5;
    public const int DeferredUpdate = 6;
    public const int UpdateMessage = 7;
    public const int AutocompleteResult = 8;
}

internal sealed record AutocompleteData(IReadOnlyList<DiscordChoice> Choices);

/// <summary>
/// Answers one interaction within Discord's 3 seconds (each interaction on its own, never behind another): the handler's reply when it comes within
/// <see cref="DeferAfter"/>, else a deferral ("thinking…") followed by an edit of the original response. Moderator
/// commands answer ephemerally, and only to members who hold Manage Server or Administrator. A button press updates the
/// message it is on (type 7, or 6 and an edit when slow), unless the reply is ephemeral (a refusal): then it is a new message.
/// A refusal that comes after a public deferral is still private: the placeholder is deleted and the refusal follows up ephemerally.
/// </summary>
internal sealed partial class InteractionResponder(DiscordRestClient rest, IDiscordInteractionHandler handler, TimeProvider time, ILogger<InteractionResponder> logger)
{
    public static readonly TimeSpan DeferAfter = TimeSpan.FromSeconds(2);

    /// <summary>Discord's limit for the first answer; a 5xx or a reset is retried within it.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3);

    /// <summary>How long the interaction's token takes edits and follow-ups; they are retried within it.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Answers via <paramref name="respond"/> (the callback endpoint, or the HTTP response of the interactions
    /// endpoint); everything after the first answer (edits, follow-ups) goes through the interaction webhook.
    /// </summary>
    public async Task RespondAsync(DiscordInteraction interaction, Func<InteractionCallback, CancellationToken, Task> respond, CancellationToken cancellationToken)
    {
        var tokenExpires = time.GetUtcNow() + TokenLifetime;
        try
        {
            if (interaction.IsAutocomplete)
            {
                var choices = await handler.AutocompleteAsync(interaction, cancellationToken);
                await respond(new InteractionCallback(InteractionCallback.AutocompleteResult, new AutocompleteData(
                    [.. choices.Take(25).Select(c => new DiscordChoice(DiscordText.Clip(c.Name, 100), c.Value.Length > 100 ? c.Value[..100] : c.Value))])), cancellationToken);
                return;
            }

            if (interaction.IsComponent)
            {
                await UpdateAsync(interaction, respond, tokenExpires, cancellationToken);
                return;
            }

            var moderatorCommand = DiscordCommands.ModeratorCommands.Contains(interaction.Command);

            // Moderator answers and a member's own settings (/subscribe, /alerts) are seen only by the one who asked.
            var ephemeral = moderatorCommand || DiscordCommands.PrivateCommands.Contains(interaction.Command);
            if (moderatorCommand && !interaction.IsModerator)
            {
                await respond(new InteractionCallback(InteractionCallback.Message, new DiscordMessage(
                    "This command needs the Manage Server permission.", null, DiscordMessage.EphemeralFlag)), cancellationToken);
                return;
            }

            var work = HandleAsync(interaction, cancellationToken);
            using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(DeferAfter, time, stopTimer.Token);
            if (await Task.WhenAny(work, timer) == work)
            {
                await stopTimer.CancelAsync();
                var messages = Messages(await work, ephemeral);
                await respond(new InteractionCallback(InteractionCallback.Message, messages[0]), cancellationToken);
                await FollowUpAsync(interaction, messages.Skip(1), tokenExpires, cancellationToken);
                return;
            }

            // The deferral fixes whether the original answer is ephemeral; moderator and private answers always are.
            Log.Deferred(logger, interaction.Command);
            await respond(new InteractionCallback(InteractionCallback.DeferredMessage, new DiscordMessage(null, null, ephemeral ? DiscordMessage.EphemeralFlag : null)), cancellationToken);
            var reply = await work;
            if (reply.Ephemeral && !ephemeral)
            {
                await AnswerPrivatelyAsync(interaction, reply, deleteOriginal: true, tokenExpires, cancellationToken);
                return;
            }

            var late = Messages(reply, ephemeral);
            await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, late[0] with { Flags = null }, tokenExpires, cancellationToken);
            await FollowUpAsync(interaction, late.Skip(1), tokenExpires, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, ex, interaction.Command);
        }
    }

    private async Task UpdateAsync(DiscordInteraction interaction, Func<InteractionCallback, CancellationToken, Task> respond, DateTimeOffset tokenExpires, CancellationToken cancellationToken)
    {
        var work = HandleAsync(interaction, cancellationToken);
        using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(DeferAfter, time, stopTimer.Token);
        if (await Task.WhenAny(work, timer) == work)
        {
            await stopTimer.CancelAsync();
            var reply = await work;
            var messages = Messages(reply, false);
            await respond(reply.Ephemeral
                ? new InteractionCallback(InteractionCallback.Message, messages[0])
                : new InteractionCallback(InteractionCallback.UpdateMessage, Replacing(messages[0])), cancellationToken);
            await FollowUpAsync(interaction, messages.Skip(1), tokenExpires, cancellationToken);
            return;
        }

        Log.Deferred(logger, interaction.Command);
        await respond(new InteractionCallback(InteractionCallback.DeferredUpdate), cancellationToken);
        var lateReply = await work;
        if (lateReply.Ephemeral)
        {
            // The pressed message stays as it was; the refusal goes to the one who pressed.
            await AnswerPrivatelyAsync(interaction, lateReply, deleteOriginal: false, tokenExpires, cancellationToken);
            return;
        }

        var late = Messages(lateReply, false);
        await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, Replacing(late[0]) with { Flags = null }, tokenExpires, cancellationToken);
        await FollowUpAsync(interaction, late.Skip(1), tokenExpires, cancellationToken);
    }

    /// <summary>An update leaves out what it does not mention; a page without embeds or buttons must clear the old ones.</summary>
    private static DiscordMessage Replacing(DiscordMessage message) =>
        message with { Content = message.Content ?? "", Embeds = message.Embeds ?? [], Components = message.Components ?? [] };

    private async Task<DiscordReply> HandleAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.HandleAsync(interaction, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, ex, interaction.Command);
            return new DiscordReply("Something went wrong with that command; it has been logged.", Ephemeral: true);
        }
    }

    private static IReadOnlyList<DiscordMessage> Messages(DiscordReply reply, bool moderatorCommand)
    {
        var messages = MessageLimits.Pack(reply.Text, reply.Embeds, reply.Ephemeral || moderatorCommand ? DiscordMessage.EphemeralFlag : null);
        return reply.Buttons is { Count: > 0 } buttons
            ? [.. messages.SkipLast(1), messages[^1] with { Components = [new DiscordActionRow(buttons)] }]
            : messages;
    }

    /// <summary>
    /// An ephemeral reply (a refusal) that comes after a public deferral: the "thinking…" placeholder the channel sees is
    /// deleted and the reply goes to the member alone as ephemeral follow-ups, so a refusal is private however long it took.
    /// </summary>
    private async Task AnswerPrivatelyAsync(DiscordInteraction interaction, DiscordReply reply, bool deleteOriginal, DateTimeOffset tokenExpires, CancellationToken cancellationToken)
    {
        if (deleteOriginal)
        {
            await rest.DeleteOriginalResponseAsync(interaction.ApplicationId, interaction.Token, tokenExpires, cancellationToken);
        }

        await FollowUpAsync(interaction, Messages(reply, true), tokenExpires, cancellationToken);
    }

    /// <summary>Sends <paramref name="messages"/> as follow-ups, in order (the parts after the first answer, or a private answer).</summary>
    private async Task FollowUpAsync(DiscordInteraction interaction, IEnumerable<DiscordMessage> messages, DateTimeOffset tokenExpires, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await rest.CreateFollowUpAsync(interaction.ApplicationId, interaction.Token, message, tokenExpires, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(50, LogLevel.Debug, "Discord /{Command}: the handler is slow; deferred the response")]
        public static partial void Deferred(ILogger logger, string command);

        [LoggerMessage(51, LogLevel.Error, "Discord /{Command}: could not answer the interaction")]
        public static partial void Failed(ILogger logger, Exception exception, string command);

        [LoggerMessage(52, LogLevel.Error, "Discord /{Command}: the command handler failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string command);
    }
}
