using System.Text;
using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Text;

namespace Digest.Core.Items;

/// <summary>HTML to plain text: tags dropped (block elements become spaces), entities decoded, whitespace folded.</summary>
public static class HtmlText
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
            return Fold(html.Contains('&', StringComparison.Ordinal) ? System.Net.WebUtility.HtmlDecode(html) : html);
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

        return Fold(builder.ToString());
    }

    /// <summary>Collapses runs of whitespace (including no-break spaces) into single spaces and trims.</summary>
    public static string Fold(string text)
    {
        if (IsFolded(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
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
