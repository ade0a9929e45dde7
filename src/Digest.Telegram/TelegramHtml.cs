using System.Text;

namespace Digest.Telegram;

/// <summary>
/// Builds Telegram HTML (parse_mode HTML) and counts its visible length as Telegram does: UTF-16 code units of the text
/// after entity parsing. Every piece of text is escaped; only the tags this class writes reach Telegram.
/// </summary>
internal sealed class TelegramHtml
{
    private readonly StringBuilder html = new();

    public int VisibleLength { get; private set; }

    public string Html => html.ToString();

    public TelegramHtml Text(string text)
    {
        html.Append(Escape(text));
        VisibleLength += text.Length;
        return this;
    }

    public TelegramHtml Bold(string text) => Tag("b", text);

    public TelegramHtml Italic(string text) => Tag("i", text);

    public TelegramHtml Link(string text, string url)
    {
        html.Append("<a href=\"").Append(Escape(url)).Append("\">");
        Text(text);
        html.Append("</a>");
        return this;
    }

    private TelegramHtml Tag(string tag, string text)
    {
        html.Append('<').Append(tag).Append('>');
        Text(text);
        html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Escapes the four characters Telegram's HTML parser reads: &amp;, &lt;, &gt; and the quote in attributes.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
