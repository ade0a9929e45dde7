using System.Buffers;
using System.Text;
using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace Digest.Core.Items;

/// <summary>
/// HTML to plain text: tags dropped (block elements become spaces), entities decoded, whitespace folded, and text a feed
/// published double-encoded ("isnâ€™t") read back as it was written (<see cref="Mojibake"/>).
/// </summary>
internal static class HtmlText
{
    /// <summary>Elements whose content is not text to read, and how a browser tokenizes that content.</summary>
    private static readonly Dictionary<string, HtmlParseMode> Skipped = new(StringComparer.Ordinal)
    {
        ["script"] = HtmlParseMode.Script, ["style"] = HtmlParseMode.Rawtext, ["noscript"] = HtmlParseMode.Rawtext,
        ["iframe"] = HtmlParseMode.Rawtext, ["noembed"] = HtmlParseMode.Rawtext, ["noframes"] = HtmlParseMode.Rawtext,
        ["xmp"] = HtmlParseMode.Rawtext, ["title"] = HtmlParseMode.RCData, ["textarea"] = HtmlParseMode.RCData,
        ["template"] = HtmlParseMode.PCData, ["svg"] = HtmlParseMode.PCData, ["math"] = HtmlParseMode.PCData, ["head"] = HtmlParseMode.PCData,
    };

    /// <summary>Elements that run inside a line; every other tag separates words.</summary>
    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "a", "b", "i", "em", "strong", "span", "small", "sup", "sub", "abbr", "cite", "q", "code", "u", "mark", "time", "s", "font", "bdi", "bdo", "wbr",
    };

    /// <param name="enough">
    /// How much text the caller keeps. A long document is first converted from a prefix of about four times that, since
    /// text is rarely under a quarter of its markup; only when that falls short is the whole of it parsed.
    /// </param>
    public static string ToPlainText(string? html, int enough = int.MaxValue)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        // Most titles and many summaries are plain text: no parser for them, and no HTML parser for entities alone.
        if (!html.Contains('<', StringComparison.Ordinal))
        {
            return Clean(html.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(html) : html);
        }

        var prefix = 4L * enough;
        if (html.Length > prefix)
        {
            var cut = html.LastIndexOf('>', (int)prefix) + 1;
            var text = MarkupToText(html[..(cut > 0 ? cut : (int)prefix)]);
            if (text.Length >= enough)
            {
                return text;
            }
        }

        return MarkupToText(html);
    }

    /// <summary>
    /// AngleSharp's HTML5 tokenizer without the tree builder: entities are decoded and script or style bodies are read
    /// the way a browser reads them, but no document is built, which is most of the cost of parsing.
    /// </summary>
    private static string MarkupToText(string html)
    {
        using var source = new TextSource(html);
        var tokenizer = new HtmlTokenizer(source, HtmlEntityProvider.Resolver);
        var builder = new StringBuilder(html.Length);
        string? skipping = null;
        var depth = 0;
        for (var token = tokenizer.Get(); token.Type != HtmlTokenType.EndOfFile; token = tokenizer.Get())
        {
            switch (token.Type)
            {
                case HtmlTokenType.Character when skipping is null:
                    builder.Append(token.Data);
                    break;
                case HtmlTokenType.StartTag when skipping is not null:
                    depth += token.Name == skipping && !token.AsTag().IsSelfClosing ? 1 : 0;
                    break;
                case HtmlTokenType.StartTag when Skipped.TryGetValue(token.Name, out var mode):
                    if (!token.AsTag().IsSelfClosing)
                    {
                        (skipping, depth) = (token.Name, 1);
                        tokenizer.State = mode;
                    }

                    break;
                case HtmlTokenType.EndTag when skipping is not null:
                    depth -= token.Name == skipping ? 1 : 0;
                    skipping = depth == 0 ? null : skipping;
                    break;
                case HtmlTokenType.StartTag or HtmlTokenType.EndTag when !Inline.Contains(token.Name):
                    builder.Append(' ');
                    break;
            }
        }

        return Clean(builder.ToString());
    }

    /// <summary>
    /// Double encoding is read back before whitespace is folded: a no-break space is part of two of its sequences ("Â" and
    /// a no-break space for a no-break space, "Ã" and one for "à"), and folded into a plain space first it would leave a
    /// stray "Â" glued to the word before.
    /// </summary>
    private static string Clean(string text) => Fold(Mojibake.Repair(text));

    /// <summary>
    /// Characters that change how text is shown without being seen: bidi embeddings, overrides, isolates and marks
    /// (a title that reads backwards, a link that hides its real end), zero-width spaces and joiners, the soft hyphen
    /// and the word joiner (which split a name so filters miss it), and C1 control characters (windows-1252 bytes read
    /// as Latin-1, mapped back to the quotes and dashes they were).
    /// </summary>
    private static readonly SearchValues<char> NeedsCleaning = SearchValues.Create(
        "\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F"
        + "\u00AD\u061C\u180E\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2060\u2061\u2062\u2063\u2064"
        + "\u2066\u2067\u2068\u2069\uFEFF");

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>
    /// Collapses runs of whitespace (including no-break spaces) into single spaces and trims, and drops the invisible
    /// characters of <see cref="NeedsCleaning"/> — once, here, so every title, summary, author and article line that
    /// reaches a chat is clean. A zero-width joiner or non-joiner stays between two non-ASCII characters, where emoji
    /// sequences and Persian or Indic words need it.
    /// </summary>
    public static string Fold(string text)
    {
        if (IsFolded(text) && text.AsSpan().IndexOfAny(NeedsCleaning) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (NeedsCleaning.Contains(c))
            {
                if (c is '\u200C' or '\u200D' && i > 0 && i < text.Length - 1 && text[i - 1] > '\u007F' && text[i + 1] > '\u007F' && !space)
                {
                    builder.Append(c);
                    continue;
                }

                if (c is >= '\u0080' and <= '\u009F' && Windows1252.GetString([(byte)c]) is [var mapped] && mapped != c && mapped != '?')
                {
                    c = mapped;
                }
                else
                {
                    continue;
                }
            }

            if (IsSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsFolded(string text)
    {
        if (text.Length > 0 && IsSpace(text[0]))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]) && (text[i] != ' ' || i == text.Length - 1 || text[i + 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSpace(char c) => char.IsWhiteSpace(c) || char.IsControl(c);
}
