using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digest.Core.Digests;

/// <summary>Plain text for the console and logs.</summary>
internal static class TextDigestRenderer
{
    public static string Render(DigestModel digest)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Digest — {digest.GeneratedAt:yyyy-MM-dd HH:mm} UTC");
        if (digest.IsEmpty)
        {
            builder.AppendLine().Append(Nothing(digest));
            return builder.AppendLine().ToString();
        }

        builder.Append(CultureInfo.InvariantCulture, $" — {Stories(digest.Stories.Count)}").AppendLine().AppendLine();
        var number = 1;
        foreach (var story in digest.Stories)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number++}. {(story.Update is null ? "" : "Updated: ")}{story.Title}  [#{story.Id}]").AppendLine();
            if (story.Update is { } update)
            {
                builder.Append("   What's new: ").Append(update.Describe()).AppendLine();
            }

            builder.Append("   ").Append(story.Url).AppendLine();
            builder.Append("   Sources: ").Append(string.Join(", ", story.Sources.Select(s => s.Name)));
            if (story.Tags.Count > 0)
            {
                builder.Append("  · ").Append(string.Join(", ", story.Tags));
            }

            builder.AppendLine();
            foreach (var line in story.KeyLines)
            {
                builder.Append("   • ").Append(line.Text);
                if (line.Credit() is { } speaker)
                {
                    builder.Append(" — ").Append(speaker);
                }

                builder.AppendLine();
            }

            builder.AppendLine();
        }

        return builder.ToString();
    }

    internal static string Nothing(DigestModel digest) => digest.Since is { } since
        ? $"Nothing new about the story since {since:yyyy-MM-dd HH:mm} UTC."
        : "Nothing about the story yet.";

    internal static string Stories(int count) => count == 1 ? "1 story" : $"{count} stories";
}

/// <summary>CommonMark, for places that render Markdown.</summary>
internal static class MarkdownDigestRenderer
{
    public static string Render(DigestModel digest)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"## Digest — {digest.GeneratedAt:yyyy-MM-dd HH:mm} UTC").AppendLine().AppendLine();
        if (digest.IsEmpty)
        {
            return builder.AppendLine(TextDigestRenderer.Nothing(digest)).ToString();
        }

        foreach (var story in digest.Stories)
        {
            builder.Append(story.Update is null ? "### [" : "### **Updated:** [").Append(Escape(story.Title)).Append("](").Append(LinkTarget(story.Url)).Append(')').AppendLine();
            if (story.Update is { } update)
            {
                builder.Append("*What's new:* ").Append(Escape(update.Describe())).AppendLine().AppendLine();
            }

            builder.Append("*Sources:* ").AppendJoin(", ", story.Sources.Select(s => $"[{Escape(s.Name)}]({LinkTarget(s.Url)})"));
            if (story.Tags.Count > 0)
            {
                builder.Append(" · ").AppendJoin(", ", story.Tags.Select(Escape));
            }

            builder.Append(CultureInfo.InvariantCulture, $" · #{story.Id}").AppendLine().AppendLine();
            foreach (var line in story.KeyLines)
            {
                builder.Append("- ").Append(Escape(line.Text));
                if (line.Credit() is { } speaker)
                {
                    builder.Append(" — *").Append(Escape(speaker)).Append('*');
                }

                builder.AppendLine();
            }

            builder.AppendLine();
        }

        return builder.ToString();
    }

    /// <summary>
    /// Backslash-escapes what CommonMark would read as markup in inline text: emphasis, code, links, HTML and escapes
    /// anywhere; a heading, list or quote marker only where it opens the text. "U.S." and "20-point" stay as written.
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        var start = 0;
        while (start < text.Length && text[start] == ' ')
        {
            start++;
        }

        var digits = start;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var markup = c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '~' or '|'
                || (c == '!' && i + 1 < text.Length && text[i + 1] == '[')
                || (i == start && c is '#' or '-' or '+' or '=')
                || (i == digits && digits > start && c is '.' or ')');
            if (markup)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string LinkTarget(string url) => url.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);
}

/// <summary>The JSON shape scripts read: <c>{"generatedAt", "stories": [{"id", "title", "url", "sources", "keyLines", "score", "tags"}]}</c>.</summary>
internal static class JsonDigestRenderer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Render(DigestModel digest) => JsonSerializer.Serialize(
        new
        {
            generatedAt = digest.GeneratedAt,
            stories = digest.Stories.Select(s => new
            {
                id = s.Id,
                title = s.Title,
                url = s.Url,
                sources = s.Sources.Select(x => new { name = x.Name, url = x.Url }),
                keyLines = s.KeyLines.Select(k => new { text = k.Text, speaker = k.Speaker }),
                score = Math.Round(s.Score, 3),
                tags = s.Tags,
                updated = s.Update is null ? null : new { newSources = s.Update.NewSources.Select(x => x.Name), newKeyLines = s.Update.NewLines.Select(k => k.Text) },
            }),
        },
        Options);
}
