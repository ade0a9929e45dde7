using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digest.Core.Digests;

/// <summary>Plain text for the console and logs.</summary>
public static class TextDigestRenderer
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
            builder.Append(CultureInfo.InvariantCulture, $"{number++}. {story.Title}  [#{story.Id}]").AppendLine();
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
                if (line.Speaker is { } speaker)
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
public static class MarkdownDigestRenderer
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
            builder.Append("### [").Append(Escape(story.Title)).Append("](").Append(LinkTarget(story.Url)).Append(')').AppendLine();
            builder.Append("*Sources:* ").AppendJoin(", ", story.Sources.Select(s => $"[{Escape(s.Name)}]({LinkTarget(s.Url)})"));
            if (story.Tags.Count > 0)
            {
                builder.Append(" · ").AppendJoin(", ", story.Tags.Select(Escape));
            }

            builder.Append(CultureInfo.InvariantCulture, $" · #{story.Id}").AppendLine().AppendLine();
            foreach (var line in story.KeyLines)
            {
                builder.Append("- ").Append(Escape(line.Text));
                if (line.Speaker is { } speaker)
                {
                    builder.Append(" — *").Append(Escape(speaker)).Append('*');
                }

                builder.AppendLine();
            }

            builder.AppendLine();
        }

        return builder.ToString();
    }

    /// <summary>Backslash-escapes every ASCII punctuation character CommonMark could read as markup.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '(' or ')' or '#' or '+' or '-' or '.' or '!' or '|' or '<' or '>' or '~')
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
public static class JsonDigestRenderer
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
            }),
        },
        Options);
}
