using Digest.Core.Commands;
using Telegram.Bot.Types.ReplyMarkups;

namespace Digest.Telegram;

/// <summary>One Telegram message: HTML text, optional buttons, or a file.</summary>
internal sealed record TelegramMessage(string Html, InlineKeyboardMarkup? Buttons = null, ReplyFile? File = null);

/// <summary>
/// Renders a reply as Telegram HTML messages: a heading, then one block per entry (a story, a hit, a feed), split at
/// block boundaries so no message passes 4,096 visible characters; pager buttons go on the last message.
/// </summary>
internal static class TelegramRenderer
{
    public const int MaxLength = 4096;
    private const string Separator = "\n\n";

    public static IReadOnlyList<TelegramMessage> Render(CommandReply reply, TelegramCallbacks callbacks)
    {
        var blocks = new List<TelegramHtml>();
        if (reply.Text.Length > 0)
        {
            blocks.Add(new TelegramHtml().Text(reply.Text));
        }

        blocks.AddRange(reply.Entries.Select(Entry));
        var messages = Split(blocks).Select(html => new TelegramMessage(html)).ToList();
        if (messages.Count == 0 && reply.File is null)
        {
            messages.Add(new TelegramMessage(TelegramHtml.Escape("Done.")));
        }

        if (reply.Pager is { } pager && (pager.HasPrevious || pager.HasNext) && messages.Count > 0)
        {
            var row = new List<InlineKeyboardButton>();
            if (pager.HasPrevious)
            {
                row.Add(InlineKeyboardButton.WithCallbackData("« Previous", callbacks.Encode(pager, pager.Page - 1)));
            }

            if (pager.HasNext)
            {
                row.Add(InlineKeyboardButton.WithCallbackData("Next »", callbacks.Encode(pager, pager.Page + 1)));
            }

            messages[^1] = messages[^1] with { Buttons = new InlineKeyboardMarkup(row) };
        }

        if (reply.File is { } file)
        {
            messages.Add(new TelegramMessage("", File: file));
        }

        return messages;
    }

    /// <summary>A story or hit: the title as a bold link, the meta line in italics, then its lines as bullets.</summary>
    internal static TelegramHtml Entry(ReplyEntry entry)
    {
        var html = new TelegramHtml();
        if (entry.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            html.Link(entry.Title, uri.AbsoluteUri);
        }
        else
        {
            html.Bold(entry.Title);
        }

        if (entry.Meta is { Length: > 0 } meta)
        {
            html.Text("\n").Italic(meta);
        }

        foreach (var line in entry.Lines)
        {
            html.Text("\n• " + line);
        }

        return html;
    }

    /// <summary>Joins blocks into messages of at most <see cref="MaxLength"/> visible characters; a block longer than that alone is cut.</summary>
    internal static IEnumerable<string> Split(IReadOnlyList<TelegramHtml> blocks)
    {
        var current = new List<string>();
        var length = 0;
        foreach (var block in blocks)
        {
            var (html, visible) = block.VisibleLength <= MaxLength ? (block.Html, block.VisibleLength) : Cut(block);
            if (current.Count > 0 && length + Separator.Length + visible > MaxLength)
            {
                yield return string.Join(Separator, current);
                current.Clear();
                length = 0;
            }

            length += (current.Count > 0 ? Separator.Length : 0) + visible;
            current.Add(html);
        }

        if (current.Count > 0)
        {
            yield return string.Join(Separator, current);
        }
    }

    /// <summary>An oversized block as plain text, cut to fit (formatting is lost; a title never gets that long).</summary>
    private static (string Html, int Visible) Cut(TelegramHtml block)
    {
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(block.Html, "<[^>]+>", ""));
        var cut = text[..(MaxLength - 1)];
        if (char.IsHighSurrogate(cut[^1]))
        {
            cut = cut[..^1];
        }

        var html = new TelegramHtml().Text(cut + "…");
        return (html.Html, html.VisibleLength);
    }
}
