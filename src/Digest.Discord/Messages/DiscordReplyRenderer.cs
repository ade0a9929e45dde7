using System.Text;
using Digest.Core.Commands;
using Digest.Discord.Interactions;

namespace Digest.Discord.Messages;

/// <summary>
/// A command's reply as Discord shows it: the text escaped, each entry (a story, a hit, a feed) as an embed, a file
/// (the OPML export) as code blocks in embeds, and refusals ephemeral. The responder packs it within the message limits.
/// </summary>
internal static class DiscordReplyRenderer
{
    /// <summary>Room for the code fences and the language tag inside one embed description.</summary>
    private const int CodePerEmbed = MessageLimits.Description - 16;

    public static DiscordReply Render(CommandReply reply, IReadOnlyList<DiscordButton>? buttons = null)
    {
        var embeds = reply.Entries.Select(Embed).ToList();
        if (reply.File is { } file)
        {
            var parts = CodeParts(file.Content).ToList();
            embeds.AddRange(parts.Select((part, i) => new DiscordEmbed(
                Title: DiscordText.Escape(parts.Count == 1 ? file.FileName : $"{file.FileName} ({i + 1}/{parts.Count})"),
                Description: "```xml\n" + part + "\n```")));
        }

        return new DiscordReply(DiscordText.Escape(reply.Text), embeds.Count > 0 ? embeds : null, reply.Refused, buttons is { Count: > 0 } ? buttons : null);
    }

    /// <summary>An entry: its title linking to its URL, its lines as bullets, its meta line as the footer (footers show no markdown).</summary>
    public static DiscordEmbed Embed(ReplyEntry entry) => new(
        Title: DiscordText.Escape(entry.Title.Trim()),
        Description: entry.Lines.Count > 0 ? string.Join('\n', entry.Lines.Select(l => "• " + DiscordText.Escape(l.Trim()))) : null,
        Url: entry.Url,
        Footer: entry.Meta is { Length: > 0 } meta ? new DiscordEmbedFooter(meta) : null,
        Color: DiscordDigestRenderer.Color);

    /// <summary>The text in pieces of whole lines that fit one embed; a fence inside the text is broken so it cannot close the block.</summary>
    private static IEnumerable<string> CodeParts(string text)
    {
        var part = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Replace("```", "`\u200b``", StringComparison.Ordinal);
            if (line.Length > CodePerEmbed)
            {
                line = line[..CodePerEmbed];
            }

            if (part.Length > 0 && part.Length + 1 + line.Length > CodePerEmbed)
            {
                yield return part.ToString();
                part.Clear();
            }

            if (part.Length > 0)
            {
                part.Append('\n');
            }

            part.Append(line);
        }

        if (part.Length > 0)
        {
            yield return part.ToString();
        }
    }
}
