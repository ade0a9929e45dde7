using System.Text;

namespace Digest.Discord.Messages;

/// <summary>Feed and user text made safe for Discord: markdown escaped, lengths cut without breaking an escape or a character.</summary>
internal static class DiscordText
{
    /// <summary>
    /// Backslash-escapes what Discord reads as markdown, mentions or masked links, so feed text shows as written:
    /// emphasis, code, spoilers and link brackets anywhere; headings, lists and quotes only where a line starts.
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        var lineStart = true;
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '[' or ']' or '<' or '@'
                || (lineStart && c is '#' or '-' or '>' or '+'))
            {
                builder.Append('\\');
            }

            builder.Append(c);
            lineStart = c == '\n' || (lineStart && c is ' ' or '\t');
        }

        return builder.ToString();
    }

    /// <summary>
    /// At most <paramref name="max"/> characters, ending in "…" when cut; never ends inside a surrogate pair or on a
    /// dangling escape backslash. Discord trims surrounding whitespace before counting, so we do too.
    /// </summary>
    public static string Clip(string text, int max)
    {
        text = text.Trim();
        if (text.Length <= max)
        {
            return text;
        }

        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        var backslashes = 0;
        while (backslashes < cut && text[cut - 1 - backslashes] == '\\')
        {
            backslashes++;
        }

        if (backslashes % 2 == 1)
        {
            cut--;
        }

        return text[..cut].TrimEnd() + "…";
    }

    /// <summary>A URL Discord accepts in an embed or a masked link: absolute http(s), at most 2,048 characters; else null.</summary>
    public static string? SafeUrl(string? url) =>
        url is { Length: > 0 and <= 2048 } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.AbsoluteUri.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)
            : null;
}
