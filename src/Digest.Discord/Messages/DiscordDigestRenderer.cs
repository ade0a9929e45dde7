using System.Globalization;
using System.Text;
using Digest.Core.Digests;

namespace Digest.Discord.Messages;

/// <summary>
/// A digest as Discord messages: one embed per story (title linking to the story, key lines with speakers, sources as
/// links, "#id · tags" footer), packed into as few messages as the limits allow and split only between stories.
/// All feed text is escaped; every message carries allowed_mentions parse [].
/// </summary>
internal static class DiscordDigestRenderer
{
    public const int Color = 0x2B6CB0;

    public static IReadOnlyList<DiscordMessage> Render(DigestModel digest)
    {
        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"**Digest — {digest.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC**");
        if (digest.IsEmpty)
        {
            header.AppendLine().Append(digest.Since is { } since
                ? string.Create(CultureInfo.InvariantCulture, $"Nothing new about the story since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC.")
                : "Nothing about the story yet.");
            return MessageLimits.Pack(header.ToString(), null);
        }

        header.Append(digest.Stories.Count == 1 ? " — 1 story" : string.Create(CultureInfo.InvariantCulture, $" — {digest.Stories.Count} stories"));
        return MessageLimits.Pack(header.ToString(), [.. digest.Stories.Select(Embed)]);
    }

    public static DiscordEmbed Embed(DigestStory story)
    {
        var lines = new List<string>();
        if (story.Update is { } update)
        {
            lines.Add("**What's new:** " + DiscordText.Escape(update.Describe()));
        }

        foreach (var line in story.KeyLines)
        {
            var text = "• " + DiscordText.Escape(line.Text.Trim());
            lines.Add(line.Credit() is { Length: > 0 } speaker ? text + " — *" + DiscordText.Escape(speaker.Trim()) + "*" : text);
        }

        var sources = story.Sources
            .Select(s => DiscordText.SafeUrl(s.Url) is { } url ? $"[{DiscordText.Escape(s.Name)}]({url})" : DiscordText.Escape(s.Name))
            .ToList();
        if (sources.Count > 0)
        {
            lines.Add("Sources: " + string.Join(", ", sources));
        }

        var footer = story.Tags.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"#{story.Id} · {string.Join(", ", story.Tags)}")
            : string.Create(CultureInfo.InvariantCulture, $"#{story.Id}");
        return new DiscordEmbed(
            Title: (story.Update is null ? "" : "Updated: ") + DiscordText.Escape(story.Title.Trim()),
            Description: WholeLines(lines, MessageLimits.Description),
            Url: story.Url,
            Footer: new DiscordEmbedFooter(footer),
            Color: Color,
            Timestamp: story.Published);
    }

    /// <summary>As many whole lines as fit (a cut line would break a link or an escape); a lone long line is clipped.</summary>
    private static string? WholeLines(IReadOnlyList<string> lines, int max)
    {
        var builder = new StringBuilder();
        foreach (var line in lines)
        {
            var needed = (builder.Length > 0 ? 1 : 0) + line.Length;
            if (builder.Length + needed > max - 2)
            {
                if (builder.Length == 0)
                {
                    return DiscordText.Clip(line, max);
                }

                builder.Append("\n…");
                break;
            }

            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(line);
        }

        return builder.Length > 0 ? builder.ToString() : null;
    }
}
