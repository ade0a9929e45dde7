using System.Text;

namespace Digest.Core.Commands;

/// <summary>A command's name and the text after it, as typed.</summary>
internal sealed record ParsedCommand(string Name, string Arguments);

/// <summary>Reads <c>/name[@bot] arguments</c> and splits arguments into words, keeping "quoted phrases" together.</summary>
internal static class CommandParser
{
    public const int ShownMax = 60;

    /// <summary>The command in a message, or null when the message is not a command (or is addressed to another bot).</summary>
    public static ParsedCommand? Parse(string? text, string? botUsername)
    {
        if (string.IsNullOrWhiteSpace(text) || text[0] != '/')
        {
            return null;
        }

        var trimmed = text.Trim();
        var end = trimmed.IndexOfAny([' ', '\n', '\t']);
        var head = end < 0 ? trimmed[1..] : trimmed[1..end];
        var rest = end < 0 ? "" : trimmed[(end + 1)..].Trim();
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (botUsername is not null && !head[(at + 1)..].Equals(botUsername, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            head = head[..at];
        }

        return head.Length == 0 ? null : new ParsedCommand(head.ToLowerInvariant(), rest);
    }

    /// <summary>Words, with "double-quoted" or “curly-quoted” phrases as one word.</summary>
    public static IReadOnlyList<string> Words(string arguments)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in arguments)
        {
            if (quote is null && c is '"' or '“' or '«')
            {
                quote = c switch { '“' => '”', '«' => '»', _ => '"' };
                continue;
            }

            if (quote == c)
            {
                quote = null;
                Flush();
                continue;
            }

            if (quote is null && char.IsWhiteSpace(c))
            {
                Flush();
                continue;
            }

            current.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }

    /// <summary>
    /// The text after the first word, unquoted, its spaces as single spaces: the phrase in
    /// <c>/alerts add "security guarantees"</c>, stored and shown as it is matched.
    /// </summary>
    public static string Phrase(string arguments)
    {
        var text = arguments.Trim();
        var space = text.IndexOfAny([' ', '\t', '\n']);
        return space < 0 ? "" : string.Join(' ', Unquote(text[(space + 1)..].Trim()).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// What the caller typed, as a refusal quotes it back: at most <see cref="ShownMax"/> characters, so a pasted page is
    /// not echoed whole (on Discord it would run past one message's 2,000 characters).
    /// </summary>
    public static string Shown(string text)
    {
        text = text.Trim();
        if (text.Length <= ShownMax)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[ShownMax - 2]) ? ShownMax - 2 : ShownMax - 1;
        return text[..cut] + "…";
    }

    public static string Unquote(string text) =>
        text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '“' && text[^1] == '”') || (text[0] == '«' && text[^1] == '»'))
            ? text[1..^1].Trim()
            : text;
}
