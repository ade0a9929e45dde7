namespace Digest.Discord.Messages;

/// <summary>A message body as Discord's create-message, execute-webhook and interaction-response endpoints take it.</summary>
internal sealed record DiscordMessage(
    string? Content,
    IReadOnlyList<DiscordEmbed>? Embeds = null,
    int? Flags = null)
{
    public const int EphemeralFlag = 64;

    /// <summary>Always sent: nothing we post may ping anyone, whatever the feed text says.</summary>
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    /// <summary>Buttons under the message (a pager), one action row.</summary>
    public IReadOnlyList<DiscordActionRow>? Components { get; init; }

    /// <summary>
    /// Create-message only (not webhooks or interactions): up to 25 characters; with <see cref="EnforceNonce"/> Discord
    /// returns the message it created with this nonce in the past few minutes instead of creating another.
    /// </summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }

    /// <summary>The nonce of part <paramref name="part"/> of outbox message <paramref name="outboxId"/>: the same on every attempt.</summary>
    public static string NonceFor(long outboxId, int part) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"o{outboxId}.{part}");
}

/// <summary>A row of up to five buttons (component type 1).</summary>
internal sealed record DiscordActionRow(IReadOnlyList<DiscordButton> Components)
{
    public int Type => 1;
}

/// <summary>A secondary-style button (component type 2) whose press comes back as a component interaction with <see cref="CustomId"/>.</summary>
internal sealed record DiscordButton(string Label, string CustomId)
{
    public const int MaxCustomId = 100;

    public int Type => 2;

    public int Style => 2;
}

internal sealed record AllowedMentions(IReadOnlyList<string> Parse)
{
    public static readonly AllowedMentions None = new([]);
}

internal sealed record DiscordEmbed(
    string? Title = null,
    string? Description = null,
    string? Url = null,
    IReadOnlyList<DiscordEmbedField>? Fields = null,
    DiscordEmbedFooter? Footer = null,
    int? Color = null,
    DateTimeOffset? Timestamp = null)
{
    /// <summary>The characters that count toward Discord's 6,000-per-message embed total.</summary>
    public int Length => (Title?.Length ?? 0) + (Description?.Length ?? 0) + (Footer?.Text.Length ?? 0)
        + (Fields?.Sum(f => f.Name.Length + f.Value.Length) ?? 0);
}

internal sealed record DiscordEmbedField(string Name, string Value, bool? Inline = null);

internal sealed record DiscordEmbedFooter(string Text);
