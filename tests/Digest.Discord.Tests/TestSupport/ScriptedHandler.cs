using System.Collections.Concurrent;
using Digest.Discord.Interactions;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>A command core stand-in: records what it was asked and answers with <see cref="Reply"/>.</summary>
internal sealed class ScriptedHandler : IDiscordInteractionHandler
{
    public ConcurrentQueue<DiscordInteraction> Calls { get; } = new();

    public Func<DiscordInteraction, CancellationToken, Task<DiscordReply>> Reply { get; set; } =
        (interaction, _) => Task.FromResult(new DiscordReply($"ok: /{interaction.Command}"));

    public IReadOnlyList<DiscordChoice> Choices { get; set; } = [];

    public Task<DiscordReply> HandleAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        Calls.Enqueue(interaction);
        return Reply(interaction, cancellationToken);
    }

    public Task<IReadOnlyList<DiscordChoice>> AutocompleteAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        Calls.Enqueue(interaction);
        return Task.FromResult(Choices);
    }
}
