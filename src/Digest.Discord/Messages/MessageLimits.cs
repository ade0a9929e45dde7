namespace Digest.Discord.Messages;

/// <summary>
/// Discord's documented message limits (message.mdx), applied before sending so a message is split or cut, never refused:
/// content 2,000; 10 embeds; title 256; description 4,096; 25 fields of 256/1,024; footer 2,048; 6,000 across the embeds.
/// </summary>
internal static class MessageLimits
{
    public const int Content = 2000;
    public const int EmbedsPerMessage = 10;
    public const int Title = 256;
    public const int Description = 4096;
    public const int Fields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int FooterText = 2048;
    public const int EmbedTotal = 6000;

    /// <summary>The embed cut to the per-field limits (every clipped embed is at most 4,096 + 256 + 2,048 + ... characters).</summary>
    public static DiscordEmbed Fit(DiscordEmbed embed)
    {
        var fields = embed.Fields?.Take(Fields).Select(f => new DiscordEmbedField(NonEmpty(DiscordText.Clip(f.Name, FieldName)), NonEmpty(DiscordText.Clip(f.Value, FieldValue)), f.Inline)).ToList();
        var fitted = embed with
        {
            Title = embed.Title is null ? null : DiscordText.Clip(embed.Title, Title),
            Description = embed.Description is null ? null : DiscordText.Clip(embed.Description, Description),
            Url = DiscordText.SafeUrl(embed.Url),
            Fields = fields is { Count: > 0 } ? fields : null,
            Footer = embed.Footer is null ? null : new DiscordEmbedFooter(DiscordText.Clip(embed.Footer.Text, FooterText)),
        };

        // Fields go first when one embed alone is over the message total.
        while (fitted.Length > EmbedTotal && fitted.Fields is { Count: > 0 } some)
        {
            fitted = fitted with { Fields = some.Count == 1 ? null : [.. some.Take(some.Count - 1)] };
        }

        return fitted.Length > EmbedTotal && fitted.Description is { } description
            ? fitted with { Description = DiscordText.Clip(description, Math.Max(1, description.Length - (fitted.Length - EmbedTotal))) }
            : fitted;
    }

    /// <summary>
    /// Text and embeds as as many messages as the limits need: text in chunks of 2,000 cut at line ends, then the
    /// embeds in order, a new message whenever the next one would pass 10 embeds or 6,000 characters.
    /// </summary>
    public static IReadOnlyList<DiscordMessage> Pack(string? text, IReadOnlyList<DiscordEmbed>? embeds, int? flags = null)
    {
        var messages = new List<DiscordMessage>();
        foreach (var chunk in Chunks(text ?? ""))
        {
            messages.Add(new DiscordMessage(chunk, null, flags));
        }

        var batch = new List<DiscordEmbed>();
        var total = 0;
        foreach (var embed in (embeds ?? []).Select(Fit))
        {
            if (batch.Count == EmbedsPerMessage || (batch.Count > 0 && total + embed.Length > EmbedTotal))
            {
                Flush();
            }

            batch.Add(embed);
            total += embed.Length;
        }

        Flush();
        if (messages.Count == 0)
        {
            messages.Add(new DiscordMessage("…", null, flags));
        }

        return messages;

        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            // The first embeds ride along with the last text chunk.
            if (messages.Count > 0 && messages[^1].Embeds is null)
            {
                messages[^1] = messages[^1] with { Embeds = [.. batch] };
            }
            else
            {
                messages.Add(new DiscordMessage(null, [.. batch], flags));
            }

            batch.Clear();
            total = 0;
        }
    }

    private static IEnumerable<string> Chunks(string text)
    {
        text = text.Trim();
        while (text.Length > Content)
        {
            var cut = text.LastIndexOf('\n', Content - 1);
            if (cut < Content / 2)
            {
                var clipped = DiscordText.Clip(text, Content);
                cut = clipped.Length - 1;
            }

            yield return text[..cut].TrimEnd();
            text = text[cut..].TrimStart();
        }

        if (text.Length > 0)
        {
            yield return text;
        }
    }

    private static string NonEmpty(string text) => text.Length > 0 ? text : "\u200b";
}
